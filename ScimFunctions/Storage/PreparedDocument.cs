using System.Text.Json.Nodes;

namespace ScimFunctions.Storage;

/// <summary>A document ready to store, with the values its entity properties and index rows are made of.</summary>
/// <param name="Emails">a user's folded <c>emails[].value</c> (distinct, at most <see cref="ResourceEntityMapper.MaxIndexedEmails"/>), each an index row; empty for groups</param>
internal sealed record PreparedDocument(JsonObject Document, string Name, string? ExternalId, string? Display, byte[] Utf8, IReadOnlyList<string> Emails);
