namespace ScimFunctions.Directories;

public enum DirectoryState
{
    /// <summary>SCIM requests with a valid token are served.</summary>
    Active,

    /// <summary>SCIM requests get 403; data and tokens are kept.</summary>
    Disabled,

    /// <summary>Tokens are revoked and the data is being removed in the background.</summary>
    Deleting,
}
