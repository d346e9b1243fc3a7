using Migration.Scenarios.Model;

namespace Migration.Scenarios.Tests.Loading;

/// <summary>Input nobody would write on purpose still fails as a located ScenarioException, never as anything else.</summary>
public class HostileInputTests
{
    [TestCase("? [a, b]\n: c\n", "a key must be a plain name")]
    [TestCase("hosts:\n  - name: [h1]\n    memory: 1GiB\n", "hosts[0].name: expected a single value, found a list")]
    [TestCase("hosts: &list\n  - name: h1\n    memory: 1GiB\ndomains: *list\n", "domains[0].host: is required")]
    [TestCase("hosts:\n  - name: h1\n    memory: *nowhere\n", "malformed YAML")]
    [TestCase("<<: {name: x}\n", "<<: unknown key")]
    [TestCase("hosts:\n\t- name: h1\n", "malformed YAML")]
    [TestCase("hosts:\n  - name: h1\n    memory: 99999999999999999999999999999TiB\n", "too large")]
    [TestCase("hosts:\n  - name: h1\n    memory: 1GiB\n    tsc-khz: 99999999999999999999\n", "is not a whole number")]
    [TestCase("hosts:\n  - name: h1\n    memory: 1GiB\ndomains:\n  - {name: d, host: h1, memory: 1GiB, vcpus: 2147483648}\n", "is not a whole number")]
    [TestCase("hosts:\n  - name: h1\n    memory: .nan\n", "is not a valid size")]
    [TestCase("\u0000\u0001\u0002", "scenario.yaml:1: ")]
    [TestCase("\"unterminated\n", "malformed YAML")]
    [TestCase("hosts: !!binary aGVsbG8=\n", "expected a list")]
    [TestCase("devices:\n  - { bdf: \"0000:03:00.0\", host: h1, dma-rate: 5000/s\n  - { bdf: \"0000:04:00.0\", host: h1 }\n", "scenario.yaml:2: malformed YAML")]
    public void OddInput_FailsAsAScenarioException_WithItsLocation(string yaml, string fragment)
    {
        var message = LoadError.MessageOf(yaml);
        Assert.That(message, Does.StartWith($"{LoadError.Source}:").And.Contain(fragment));
    }

    [Test]
    public void DeepNesting_IsRefused_BeforeItCanOverflowTheStack()
    {
        const int depth = 200_000;
        var message = LoadError.MessageOf("hosts: " + new string('[', depth) + new string(']', depth) + "\n");
        Assert.That(message, Does.StartWith($"{LoadError.Source}:1: nested more than 32 levels deep"));
    }

    [Test]
    public void HugeFile_IsRefused_WithoutBeingRead()
    {
        var directory = Directory.CreateTempSubdirectory("migration-scenarios-tests-");
        try
        {
            var path = Path.Combine(directory.FullName, "huge.yaml");
            using (var file = File.Create(path)) file.SetLength(ScenarioLoader.FileBytesMax + 1);

            var problem = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path))!;
            Assert.That(problem.Message, Does.StartWith($"{path}: the file has").And.Contain("more than a scenario file may (16 MiB)"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
