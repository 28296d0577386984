namespace ScimFunctions.Provisioning.Bulk;

/// <summary>How one failed operation is reported: the HTTP status its single-resource route would answer, with
/// the RFC 7644 §3.12 <c>scimType</c> and detail.</summary>
public sealed record BulkFailure(int Status, string? ScimType, string Detail);
