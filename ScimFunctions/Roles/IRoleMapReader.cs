namespace ScimFunctions.Roles;

/// <summary>Reads what a recompute applies: the directory's role configuration with its name mappings resolved.</summary>
public interface IRoleMapReader
{
    /// <summary>1 configuration read plus 1 point read per name mapping.</summary>
    Task<ResolvedRoleMap> ReadMapAsync(string directoryId, CancellationToken cancellationToken);
}
