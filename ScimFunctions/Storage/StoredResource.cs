using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>
/// A resource as stored: the SCIM document with <c>id</c> and <c>meta</c> (resourceType, created,
/// lastModified, version) filled in; <c>meta.location</c> is left to the caller, which knows the base URL.
/// </summary>
public sealed record StoredResource(string Id, JsonObject Document, string Version, DateTimeOffset Created, DateTimeOffset LastModified);
