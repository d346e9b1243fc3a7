using Migration.Cli.Arguments;

namespace Migration.Cli.Tests;

public class SeedListTests
{
    [TestCase("1-5", new ulong[] { 1, 2, 3, 4, 5 })]
    [TestCase("1,2,5", new ulong[] { 1, 2, 5 })]
    [TestCase("7", new ulong[] { 7 })]
    [TestCase("1-3, 10", new ulong[] { 1, 2, 3, 10 })]
    [TestCase("0-0", new ulong[] { 0 })]
    public void SeedList_ReadsSeedsAndRanges(string text, ulong[] expected)
    {
        Assert.That(SeedList.TryParse(text, out var seeds, out var problem), Is.True, problem);
        Assert.That(seeds, Is.EqualTo(expected));
    }

    [TestCase("a", "neither a seed nor a range")]
    [TestCase("3-1", "runs backwards")]
    [TestCase("1-3,2", "named twice")]
    [TestCase("1-100000", "more than 10000 seeds")]
    [TestCase("-1", "neither a seed nor a range")]
    public void SeedList_RefusesWhatIsNotASeedList_SayingWhy(string text, string why)
    {
        Assert.That(SeedList.TryParse(text, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain(why));
    }
}
