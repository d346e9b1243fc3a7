using Migration.Scenarios.Loading;
using Migration.Scenarios.Model;
using Migration.Scenarios.Validation;

namespace Migration.Scenarios.Generators;

/// <summary>Runs a generator called from code (not from a file): checks its parameters first and validates what it made.</summary>
internal static class GeneratedScenario
{
    public static Scenario Checked(string kind, IEnumerable<GeneratorProblem> problems, Func<Scenario> build)
    {
        var map = new SourceMap($"{kind} generator");
        map.FallBackTo(0, null);
        // The first problem is enough: the parameters are few and independent.
        foreach (var problem in problems) throw map.ErrorAt(0, problem.Key, problem.Message);
        var scenario = build();
        ScenarioValidator.Validate(scenario, map);
        return scenario;
    }
}
