namespace Migration.Xen;

/// <summary>
/// A refusal: who refused, the rule that fired (<c>log-dirty/has-devices</c>, <c>VM_HAS_PCI_ATTACHED</c>),
/// the error a caller sees (<c>-EINVAL</c>) and a sentence saying why.
/// </summary>
/// <param name="Waivable">
/// Whether the refusal is a policy decision that a counterfactual run may waive to ask "would it have
/// been fine?"; a physical limit (no memory on the destination) is not.
/// </param>
public sealed record Refusal(Refuser By, string Rule, string Error, string Reason, bool Waivable = true)
{
    public override string ToString() => $"{RefuserNames.Of(By)} refused ({Rule}, {Error}): {Reason}";
}
