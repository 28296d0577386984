using ScimFunctions.Storage;

namespace ScimFunctions.Roles;

/// <summary>How a mapping names its group: by id, or by displayName for a group the IdP has not pushed yet
/// (matched case-insensitively against the group's current displayName).</summary>
public enum GroupMatch { Id, DisplayName }
