namespace ScimFunctions.Directories;

/// <summary>The identity provider that pushes into a directory; it decides nothing, it is shown to admins.</summary>
public enum DirectoryProvider
{
    OneLogin,
    EntraId,
    Okta,
    Other,
}
