using Migration.Persistence;
using Migration.Persistence.Journal;
using Migration.Simulation.Running;

namespace Migration.Cli.Tests;

public class RunIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 16, 49, 10, TimeSpan.Zero);

    [Test]
    public void RunIds_AreReadable_AndGetASuffixWhenTaken()
    {
        using var temp = new TempDirectory();
        using var store = JournalUri.Open(temp.Journal);
        var first = RunIds.New(store, "thread-arguments", "has-devices", 1, Now);
        Assert.That(first, Is.EqualTo("20261121-164910-thread-arguments-has-devices-s1"));
        store.CreateRun(new RunRecord(first, "test", 1, "{}", "test", null, Now, null, RunStatus.Running, 0));
        var second = RunIds.New(store, "thread-arguments", "has-devices", 1, Now);
        Assert.That(second, Is.EqualTo(first + "-2"));
        store.CreateRun(new RunRecord(second, "test", 1, "{}", "test", null, Now, null, RunStatus.Running, 0));
        Assert.That(RunIds.New(store, "thread-arguments", "has-devices", 1, Now), Is.EqualTo(first + "-3"));
    }

    [Test]
    public void RunIds_OfAScenarioFileWithAnyName_HoldOnlyLettersDigitsDashUnderscoreAndDot()
    {
        using var temp = new TempDirectory();
        using var store = JournalUri.Open(temp.Journal);
        var id = RunIds.New(store, "my scenario/v2 (final)", "has-devices", 12, Now);
        Assert.That(RunIds.IsWellFormed(id), id);
        Assert.That(id, Is.EqualTo("20261121-164910-my-scenario-v2-final-has-devices-s12"));
    }
}
