namespace ScimFunctions.Storage;

/// <summary>No such resource in this directory.</summary>
public sealed class ResourceNotFoundException(string resourceType, string id)
    : ScimStoreException($"{resourceType} '{id}' not found.")
{
    public string ResourceType { get; } = resourceType;
    public string Id { get; } = id;
}
