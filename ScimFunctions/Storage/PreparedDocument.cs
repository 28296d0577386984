using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>A document ready to store, with the values its entity properties and index rows are made of.</summary>
internal sealed record PreparedDocument(JsonObject Document, string Name, string? ExternalId, string? Display, byte[] Utf8);
