namespace Migration.Scenarios.Tests;

public sealed class NameRulesTests
{
    [Test]
    public void AHostNameWithASpace_IsRefused_WithLineAndField()
    {
        const string yaml = "hosts:\n  - name: my host\n    memory: 1GiB\n";
        Assert.That(() => ScenarioLoader.Load(yaml, "names.yaml"),
            Throws.TypeOf<Model.ScenarioException>().With.Message.Contains("names.yaml:2").And.Message.Contains("hosts[0].name").And.Message.Contains("letters, digits"));
    }

    [Test]
    public void ADomainNameWithAComma_IsRefused()
    {
        const string yaml = "hosts:\n  - { name: a, memory: 4GiB }\ndomains:\n  - { name: 'web,db', host: a, memory: 1GiB }\n";
        Assert.That(() => ScenarioLoader.Load(yaml, "names.yaml"),
            Throws.TypeOf<Model.ScenarioException>().With.Message.Contains("domains[0].name"));
    }

    [Test]
    public void ABdfThatIsNotAPciAddress_IsRefused()
    {
        const string yaml = "hosts:\n  - { name: a, memory: 4GiB }\ndevices:\n  - { bdf: 'nic one', host: a }\n";
        Assert.That(() => ScenarioLoader.Load(yaml, "names.yaml"),
            Throws.TypeOf<Model.ScenarioException>().With.Message.Contains("devices[0].bdf").And.Message.Contains("PCI address"));
    }
}
