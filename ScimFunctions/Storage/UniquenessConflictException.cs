namespace ScimFunctions.Storage;

/// <summary>A unique attribute (<c>userName</c>, group <c>displayName</c>) is already taken in the directory.</summary>
public sealed class UniquenessConflictException(string attribute, string value)
    : ScimStoreException($"The {attribute} '{value}' is already in use in this directory.")
{
    public string Attribute { get; } = attribute;
    public string Value { get; } = value;
}
