using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimFunctions.Roles;

/// <summary>
/// The body of a message on <see cref="RoleQueues.Recompute"/> (JSON, sent Base64 as host.json tells the trigger
/// to expect). Fan-outs walk their rows one page per message: <see cref="After"/> is where the page starts and
/// <see cref="OutboxETag"/> the fan-out row's version seen by the first page, cleared on the last page only if
/// unchanged; a group fan-out's row is cleared by its settle pass (<see cref="Since"/>), sent delayed by the last
/// page. Messages only say what to look at; handlers read current state, so duplicates and reordering are harmless.
/// </summary>
public sealed record RoleRecomputeMessage
{
    /// <summary>Users named per message: 256 ids of 32 characters are about 9 KiB of JSON, 12 KiB as Base64,
    /// far below the queue's 64 KiB, and a bounded amount of work per invocation.</summary>
    public const int MaxUsersPerMessage = 256;

    /// <summary>The queue's limit on an encoded message.</summary>
    public const int QueueMessageLimitBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string DirectoryId { get; init; }
    public RecomputeScope Scope { get; init; }
    public IReadOnlyList<string>? UserIds { get; init; }
    public string? Key { get; init; }
    public string? After { get; init; }
    public string? OutboxETag { get; init; }

    /// <summary>A group fan-out's settle pass: only the rows written at or after this (storage) time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>A group's settle pass past its member rows: this page reads the change log for users removed from
    /// the group since the change (<see cref="After"/> is then a change-log key).</summary>
    public bool? Removals { get; init; }

    /// <summary>Messages queued before the removal pass replaced the per-role holder passes carry this instead of
    /// <see cref="Removals"/>; they run the removal pass from its start.</summary>
    public string? HolderRole { get; init; }

    public static IEnumerable<RoleRecomputeMessage> ForUsers(string directoryId, IEnumerable<string> userIds) =>
        userIds.Distinct(StringComparer.Ordinal).Chunk(MaxUsersPerMessage)
            .Select(chunk => new RoleRecomputeMessage { DirectoryId = directoryId, Scope = RecomputeScope.Users, UserIds = chunk });

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="FormatException">not a recompute message</exception>
    public static RoleRecomputeMessage Parse(string body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<RoleRecomputeMessage>(body, Json);
            if (message is null || string.IsNullOrEmpty(message.DirectoryId)) throw new FormatException("The message names no directory.");
            return message;
        }
        catch (JsonException exception)
        {
            throw new FormatException("The message is not a role recompute message.", exception);
        }
    }
}
