using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Storage;

/// <summary>
/// The key design. Every row of a directory shares <c>PartitionKey = directoryId</c> (so a user with its
/// index rows, or a batch of memberships with their outbox rows, commits in one entity group transaction);
/// the row key's prefix names the kind:
/// <list type="table">
/// <item><term><c>user|{id}</c>, <c>group|{id}</c></term><description>the resource document</description></item>
/// <item><term><c>userName|{folded}</c>, <c>groupName|{folded}</c></term><description>unique index rows (case-insensitive), property <c>Id</c></description></item>
/// <item><term><c>userExternalId|{value}|{id}</c>, <c>groupExternalId|{value}|{id}</c></term><description>non-unique, case-exact index rows</description></item>
/// <item><term><c>member|{groupId}|{userId}</c>, <c>memberOf|{userId}|{groupId}</c></term><description>one membership, both directions, always written together; <c>Display</c> of the other side</description></item>
/// <item><term><c>outbox|{userId}</c></term><description>this user's roles must be recomputed</description></item>
/// <item><term><c>groupOutbox|{groupId}</c></term><description>every member of this group must be recomputed (group rename)</description></item>
/// <item><term><c>deleting|user|{id}</c>, <c>deleting|group|{id}</c></term><description>a delete whose membership cleanup has not finished</description></item>
/// <item><term><c>change|{utcTicks}|{random}</c></term><description>the change log: one row per committed write, in the write's own transaction (see <see cref="ChangeLog"/>)</description></item>
/// </list>
/// Ids are server-generated (32 lowercase hex digits). Client values are escaped with <see cref="Escape"/>
/// so no key holds a character Table Storage forbids, nor the <c>|</c> separator.
/// </summary>
public static class RowKeys
{
    public const char Separator = '|';

    /// <summary>Escaped values longer than this are shortened to a prefix plus a SHA-256 of the value,
    /// keeping row keys far below the 1 KiB limit while staying unique.</summary>
    public const int MaxEscapedValueLength = 200;

    public const string UserPrefix = "user|";
    public const string GroupPrefix = "group|";
    public const string UserNamePrefix = "userName|";
    public const string GroupNamePrefix = "groupName|";
    public const string UserExternalIdPrefix = "userExternalId|";
    public const string GroupExternalIdPrefix = "groupExternalId|";
    public const string MemberPrefix = "member|";
    public const string MemberOfPrefix = "memberOf|";
    public const string OutboxPrefix = "outbox|";
    public const string GroupOutboxPrefix = "groupOutbox|";
    public const string DeletingPrefix = "deleting|";
    public const string ChangePrefix = "change|";

    public static string Member(string groupId, string userId) => MemberPrefix + groupId + Separator + userId;
    public static string MemberOf(string userId, string groupId) => MemberOfPrefix + userId + Separator + groupId;
    public static string MembersOfGroupPrefix(string groupId) => MemberPrefix + groupId + Separator;
    public static string GroupsOfUserPrefix(string userId) => MemberOfPrefix + userId + Separator;
    public static string Outbox(string userId) => OutboxPrefix + userId;
    public static string GroupOutbox(string groupId) => GroupOutboxPrefix + groupId;

    /// <summary>The partition key of a directory; directory ids come from URLs, so they are escaped too.</summary>
    public static string Partition(string directoryId)
    {
        if (string.IsNullOrEmpty(directoryId)) throw new ArgumentException("A directory id is required.", nameof(directoryId));
        return Escape(directoryId);
    }

    /// <summary>Case-folds the way <see cref="StringComparison.OrdinalIgnoreCase"/> compares, then escapes.</summary>
    public static string Folded(string value) => Escape(value.ToUpperInvariant());

    /// <summary>
    /// Injective escaping of any string into key-safe text: <c>%</c>, <c>|</c>, <c>~</c>, <c>/</c>, <c>\</c>,
    /// <c>#</c>, <c>?</c>, control characters and lone surrogates become <c>%XX</c> or <c>%uXXXX</c>.
    /// Values escaping to more than <see cref="MaxEscapedValueLength"/> characters become
    /// <c>{first 100}~{sha256 hex}</c>; raw <c>~</c> is always escaped, so a shortened key never equals a plain one.
    /// </summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (NeedsEscape(c))
            {
                builder.Append(c <= 0xFF
                    ? "%" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
                    : "%u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        if (builder.Length <= MaxEscapedValueLength) return builder.ToString();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
        var head = builder.ToString(0, 100);
        // Never cut an escape sequence or a surrogate pair in half.
        var cut = head.LastIndexOf('%');
        if (cut >= 94) head = head[..cut];
        if (head.Length > 0 && char.IsHighSurrogate(head[^1])) head = head[..^1];
        return head + "~" + hash;
    }

    private static bool NeedsEscape(char c) =>
        c is '%' or '|' or '~' or '/' or '\\' or '#' or '?' || char.IsControl(c) || char.IsSurrogate(c);

    /// <summary>The exclusive upper bound of a prefix range: every key starting with <paramref name="prefix"/>
    /// sorts below it. Prefixes end in <c>|</c>, and <c>}</c> is the next character.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>The id after the last separator of a key.</summary>
    public static string LastSegment(string rowKey) => rowKey[(rowKey.LastIndexOf(Separator) + 1)..];

    public static bool IsServerId(string? value) =>
        value is { Length: 32 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static string NewId() => Guid.NewGuid().ToString("N");
}
