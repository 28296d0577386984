using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>
/// A resource as stored: the SCIM document with <c>id</c> and <c>meta</c> (resourceType, created,
/// lastModified, version) filled in; <c>meta.location</c> is left to the caller, which knows the base URL.
/// </summary>
/// <param name="EmailsIndexed">a user whose email index rows exist (false for users stored before the index)</param>
public sealed record StoredResource(string Id, JsonObject Document, string Version, DateTimeOffset Created, DateTimeOffset LastModified, bool EmailsIndexed = false);
