namespace Migration.Xen.Toolstacks;

/// <summary>
/// The error a person sees when a toolstack refuses, by the toolstack's own name for it: XAPI's
/// error codes (ocaml/xapi-consts/api_errors.ml in xapi-project/xen-api) and libxl's
/// (<c>libxl_error</c> in tools/libs/light/libxl_types.idl). The device-aware toolstack is modelled
/// as XAPI with the thread's device checks, so it answers with XAPI's codes and its own for those.
/// </summary>
public static class ToolstackErrors
{
    // (rule, libxl's error, XAPI's error); a rule missing here answers ERROR_FAIL under xl and its own name otherwise.
    private static readonly (string Rule, string Xl, string Xapi)[] Codes =
    [
        ("HARDWARE_DOMAIN", "ERROR_INVAL", "OPERATION_NOT_ALLOWED"),
        ("INSUFFICIENT_MEMORY", "ERROR_NOMEM", "HOST_NOT_ENOUGH_FREE_MEMORY"),
        ("TSC_INCOMPATIBLE", "ERROR_FAIL", "VM_INCOMPATIBLE_WITH_THIS_HOST"),
        // The workaround's case: an SR-IOV virtual function on the destination for the one unplugged.
        ("NO_EQUIVALENT_DEVICE", "ERROR_FAIL", "NETWORK_SRIOV_INSUFFICIENT_CAPACITY"),
        // libxl refuses a second domain of the same name; XAPI one of the same UUID.
        ("COPY_ALREADY_HERE", "ERROR_INVAL", "DOMAIN_EXISTS"),
        ("DOMAIN_NOT_ON_HOST", "ERROR_DOMAIN_NOTFOUND", "OPERATION_NOT_ALLOWED"),
        ("DEVICE_RESERVED", "ERROR_FAIL", "OTHER_OPERATION_IN_PROGRESS"),
        ("DEVICE_NOT_ASSIGNED", "ERROR_INVAL", "OPERATION_NOT_ALLOWED"),
        ("NOMIGRATE", "ERROR_FAIL", "VM_IS_IMMOBILE"),
    ];

    public static string Of(ToolstackKind kind, string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var (candidate, xl, xapi) in Codes)
        {
            if (candidate == rule) return kind == ToolstackKind.Xl ? xl : xapi;
        }
        return kind == ToolstackKind.Xl ? "ERROR_FAIL" : rule;
    }

    /// <summary>A refusal by a toolstack of <paramref name="kind"/>, its error named as that toolstack names it.</summary>
    public static Refusal Refuse(Refuser by, ToolstackKind kind, string rule, string reason, bool waivable) =>
        new(by, rule, Of(kind, rule), reason, waivable);
}
