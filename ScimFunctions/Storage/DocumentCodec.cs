using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace ScimFunctions.Storage;

/// <summary>
/// Stores a JSON document in one entity as UTF-8 split across binary properties <c>Doc0</c>, <c>Doc1</c>, ...
/// of at most 64 KiB each (the per-property limit), up to <see cref="MaxDocumentBytes"/> in all so the entity
/// stays under the 1 MiB entity limit with room for keys and the other properties. Larger documents are
/// refused with <see cref="DocumentTooLargeException"/>, never truncated.
/// </summary>
public static class DocumentCodec
{
    public const int ChunkBytes = 64 * 1024;
    public const int MaxChunks = 14;

    /// <summary>The largest document stored: 14 × 64 KiB = 896 KiB of UTF-8 JSON.</summary>
    public const int MaxDocumentBytes = ChunkBytes * MaxChunks;

    public const string ChunkCountProperty = "DocChunks";
    public const string ChunkPropertyPrefix = "Doc";

    /// <summary>The names to select when a read needs the document.</summary>
    public static IEnumerable<string> ChunkPropertyNames =>
        Enumerable.Range(0, MaxChunks).Select(i => ChunkPropertyPrefix + i).Prepend(ChunkCountProperty);

    // Storage is not HTML: non-ASCII text stays as UTF-8 instead of six-byte \u escapes.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serializes and checks the size; throws <see cref="DocumentTooLargeException"/> before anything is written.</summary>
    public static byte[] Serialize(JsonObject document)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, Compact);
        if (bytes.Length > MaxDocumentBytes) throw new DocumentTooLargeException(bytes.Length);
        return bytes;
    }

    public static void Write(TableEntity entity, byte[] utf8Json)
    {
        var chunks = Math.Max(1, (utf8Json.Length + ChunkBytes - 1) / ChunkBytes);
        entity[ChunkCountProperty] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            entity[ChunkPropertyPrefix + i] = utf8Json.AsSpan(start, Math.Min(ChunkBytes, utf8Json.Length - start)).ToArray();
        }
    }

    public static JsonObject Read(TableEntity entity)
    {
        var chunks = entity.GetInt32(ChunkCountProperty)
            ?? throw new InvalidDataException($"Entity {entity.RowKey} has no document.");
        using var buffer = new MemoryStream();
        for (var i = 0; i < chunks; i++)
        {
            var part = entity.GetBinary(ChunkPropertyPrefix + i)
                ?? throw new InvalidDataException($"Entity {entity.RowKey} lacks document part {i}.");
            buffer.Write(part);
        }
        return JsonNode.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))?.AsObject()
            ?? throw new InvalidDataException($"Entity {entity.RowKey} holds no JSON object.");
    }
}
