using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ScimFunctions.Storage;

/// <summary>
/// The storage key design, in one place. Every row of a directory lives in the SCIM data table under
/// <c>PartitionKey = directoryId</c>, because Table Storage makes a write atomic only inside one partition: a
/// user with its index rows, a batch of memberships with their outbox and change-log rows, a role assignment
/// with its holder rows, each commits in one entity group transaction. The row key's prefix names the kind:
/// <list type="table">
/// <item><term><c>user|{id}</c>, <c>group|{id}</c></term><description>the resource document</description></item>
/// <item><term><c>userName|{folded}</c>, <c>groupName|{folded}</c></term><description>unique index rows (case-insensitive), property <c>Id</c></description></item>
/// <item><term><c>userExternalId|{value}|{id}</c>, <c>groupExternalId|{value}|{id}</c></term><description>non-unique, case-exact index rows</description></item>
/// <item><term><c>userEmail|{folded}|{id}</c></term><description>non-unique, case-insensitive index rows of each user's <c>emails[].value</c>; the document's <c>IndexedEmails</c> property lists the folded values it has rows for</description></item>
/// <item><term><c>emailIndex</c></term><description>present once every user of the directory is known to have its email rows (users stored before the index existed have none)</description></item>
/// <item><term><c>member|{groupId}|{userId}</c>, <c>memberOf|{userId}|{groupId}</c></term><description>one membership, both directions, always written together; <c>Display</c> of the other side</description></item>
/// <item><term><c>deleting|user|{id}</c>, <c>deleting|group|{id}</c></term><description>a delete whose membership cleanup has not finished</description></item>
/// <item><term><c>displayRefresh|user|{id}</c>, <c>displayRefresh|group|{id}</c></term><description>a rename whose new <c>Display</c> (property) is not yet copied onto the other side's membership rows</description></item>
/// <item><term><c>pendingChange|{groupId}|{writeKey}|{part}</c></term><description>a group write's member change larger than its document's transaction holds, recorded (one record per write, its key starting with the write's time) until its last member transaction commits (see <c>PendingGroupChanges</c>)</description></item>
/// <item><term><c>outbox|{userId}</c></term><description>this user's roles must be recomputed</description></item>
/// <item><term><c>groupOutbox|{groupId}</c></term><description>every member of this group must be recomputed (rename, mapping change, delete); kept until the fan-out's settle pass has re-read the member rows written since it</description></item>
/// <item><term><c>roleOutbox|{key}</c></term><description>every holder of a deleted role must be recomputed</description></item>
/// <item><term><c>directoryOutbox|all</c></term><description>every user must be recomputed (default-role change)</description></item>
/// <item><term><c>roleconf|role|{key}</c></term><description>a role the app defines</description></item>
/// <item><term><c>roleconf|version</c></term><description>rewritten, If-Match the ETag read with the configuration, by every configuration change: two changes that checked the same configuration cannot both commit</description></item>
/// <item><term><c>roleconf|default</c></term><description>the default role of active users in no mapped group</description></item>
/// <item><term><c>roleconf|map|id|{groupId}</c>, <c>roleconf|map|name|{folded}</c></term><description>a group → roles mapping (all configuration under <c>roleconf|</c>, read in one range query)</description></item>
/// <item><term><c>roles|{userId}</c></term><description>the computed role assignment (with <c>StagedRoles</c> while a change of more holder rows than one transaction holds is being written)</description></item>
/// <item><term><c>roleHolder|{key}|{userId}</c></term><description>reverse index of assignments, written with them</description></item>
/// <item><term><c>roleHealth</c></term><description>recompute messages of this directory that ended in the poison queue</description></item>
/// <item><term><c>change|{utcTicks:D19}|{random}</c></term><description>the change log: one row per committed write, in the write's own transaction</description></item>
/// <item><term><c>count|{shard}</c></term><description>a shard of the directory's user and group counts (<c>Users</c>, <c>Groups</c>), written only by the instance that owns it, in the create or delete transaction itself; the counts are the sum of the shards</description></item>
/// </list>
/// Outside the directory partitions: the directories table holds every directory in partition
/// <c>directory</c> (row key = directory id); the tokens table holds token metadata (partition = directory id,
/// row key = token id); a token's hash is the Key Vault secret <c>scimtoken-{directoryId}-{tokenId}</c>.
/// <para>
/// The activity table (<c>ScimActivity</c>) is a table of its own, so logging never touches a data partition.
/// A directory's request log is kept in one partition per day, <c>{directoryId}|{99999999 - yyyyMMdd}</c>: the
/// inverted day makes the newest day sort first, and each row key is <c>{MaxTicks - utcTicks:D19}|{requestId}</c>,
/// so a single range query over a directory's partitions returns its requests newest first, and retention drops
/// whole old days by a key range. The directory's connection status is the row <c>status</c> of partition
/// <c>{directoryId}|status</c>, which sorts after every day partition.
/// </para>
/// <para>
/// Ids are server-generated (32 lowercase hex digits). Client values are escaped with <see cref="Escape"/>, so no
/// key holds a character Table Storage forbids, nor the <c>|</c> separator. No other type builds a row key.
/// </para>
/// </summary>
public static class PartitionLayout
{
    public const char Separator = '|';

    /// <summary>Escaped values longer than this are shortened to a prefix plus a SHA-256 of the value,
    /// keeping row keys far below the 1 KiB limit while staying unique.</summary>
    public const int MaxEscapedValueLength = 200;

    // Resource documents and their index rows.
    public const string UserPrefix = "user|";
    public const string GroupPrefix = "group|";
    public const string UserNamePrefix = "userName|";
    public const string GroupNamePrefix = "groupName|";
    public const string UserExternalIdPrefix = "userExternalId|";
    public const string GroupExternalIdPrefix = "groupExternalId|";
    public const string UserEmailPrefix = "userEmail|";
    public const string EmailIndexComplete = "emailIndex";
    public const string DeletingPrefix = "deleting|";
    public const string DisplayRefreshPrefix = "displayRefresh|";
    public const string PendingChangePrefix = "pendingChange|";

    // Memberships, both directions.
    public const string MemberPrefix = "member|";
    public const string MemberOfPrefix = "memberOf|";

    // Outbox rows: recomputes recorded with the write that makes them due.
    public const string OutboxPrefix = "outbox|";
    public const string GroupOutboxPrefix = "groupOutbox|";
    public const string RoleOutboxPrefix = "roleOutbox|";
    public const string DirectoryOutboxPrefix = "directoryOutbox|";
    public const string DirectoryOutbox = DirectoryOutboxPrefix + "all";

    /// <summary>Every kind of outbox row, in key order.</summary>
    public static readonly IReadOnlyList<string> OutboxPrefixes = [DirectoryOutboxPrefix, GroupOutboxPrefix, OutboxPrefix, RoleOutboxPrefix];

    // Role configuration, assignments and health.
    public const string RoleConfigPrefix = "roleconf|";
    public const string RoleDefinitionPrefix = RoleConfigPrefix + "role|";
    public const string DefaultRole = RoleConfigPrefix + "default";
    public const string RoleConfigVersion = RoleConfigPrefix + "version";
    public const string GroupIdMappingPrefix = RoleConfigPrefix + "map|id|";
    public const string GroupNameMappingPrefix = RoleConfigPrefix + "map|name|";
    public const string AssignmentPrefix = "roles|";
    public const string HolderPrefix = "roleHolder|";
    public const string RoleHealth = "roleHealth";

    // The change log.
    public const string ChangePrefix = "change|";

    // User and group counts, one shard per writing instance slot.
    public const string CountPrefix = "count|";

    // Outside the directory partitions.
    public const string DirectoriesPartition = "directory";
    public const string TokenSecretPrefix = "scimtoken-";

    public static string Document(ResourceKind kind, string id) => kind.DocumentPrefix + id;
    public static string UniqueName(ResourceKind kind, string name) => kind.UniqueNamePrefix + Folded(name);
    public static string ExternalIdRangeStart(ResourceKind kind, string externalId) => kind.ExternalIdPrefix + Escape(externalId) + Separator;
    public static string ExternalId(ResourceKind kind, string externalId, string id) => ExternalIdRangeStart(kind, externalId) + id;
    /// <summary>The folded form of an email, as its index row holds it (case-insensitive, escaped).</summary>
    public static string FoldedEmail(string email) => Folded(email);
    public static string UserEmailRangeStart(string foldedEmail) => UserEmailPrefix + foldedEmail + Separator;
    public static string UserEmail(string foldedEmail, string id) => UserEmailRangeStart(foldedEmail) + id;
    public static string Deleting(ResourceKind kind, string id) => DeletingOf(kind) + id;
    public static string DeletingOf(ResourceKind kind) => DeletingPrefix + kind.ResourceType.ToLowerInvariant() + Separator;
    public static string DisplayRefresh(ResourceKind kind, string id) => DisplayRefreshOf(kind) + id;
    /// <param name="writeKey">empty for a record written before records had one per write (<c>pendingChange|{groupId}|{part}</c>)</param>
    public static string PendingChange(string groupId, string writeKey, int part) =>
        PendingChangePrefix + groupId + Separator + (writeKey.Length > 0 ? writeKey + Separator : "") + part.ToString("D2", CultureInfo.InvariantCulture);
    public static string DisplayRefreshOf(ResourceKind kind) => DisplayRefreshPrefix + kind.ResourceType.ToLowerInvariant() + Separator;

    public static string Member(string groupId, string userId) => MemberPrefix + groupId + Separator + userId;
    public static string MemberOf(string userId, string groupId) => MemberOfPrefix + userId + Separator + groupId;
    public static string MembersOfGroupPrefix(string groupId) => MemberPrefix + groupId + Separator;
    public static string GroupsOfUserPrefix(string userId) => MemberOfPrefix + userId + Separator;

    public static string Outbox(string userId) => OutboxPrefix + userId;
    public static string GroupOutbox(string groupId) => GroupOutboxPrefix + groupId;
    public static string RoleOutbox(string roleKey) => RoleOutboxPrefix + roleKey;

    public static string RoleDefinition(string key) => RoleDefinitionPrefix + key;
    public static string GroupIdMapping(string groupId) => GroupIdMappingPrefix + groupId;
    public static string GroupNameMapping(string displayName) => GroupNameMappingPrefix + Folded(displayName);
    public static string Assignment(string userId) => AssignmentPrefix + userId;
    public static string HoldersOf(string roleKey) => HolderPrefix + roleKey + Separator;
    public static string Holder(string roleKey, string userId) => HoldersOf(roleKey) + userId;

    /// <summary>The mapping row of a name mapping, from the folded name its mapping id carries.</summary>
    public static string GroupNameMappingOfFolded(string foldedName) => GroupNameMappingPrefix + foldedName;

    /// <summary>A count shard; <paramref name="shardId"/> is hex, made by the instance that owns the shard.</summary>
    public static string CountShard(string shardId) => CountPrefix + shardId;

    /// <summary>The key after the prefix of a key under <paramref name="prefix"/>.</summary>
    public static string AfterPrefix(string prefix, string rowKey) => rowKey[prefix.Length..];

    /// <summary>The row key of a change stamped at <paramref name="at"/>; the random tail keeps keys unique.</summary>
    public static string Change(DateTimeOffset at) =>
        ChangePrefix + TicksText(at) + Separator + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>The smallest possible key of a change stamped at <paramref name="at"/>.</summary>
    public static string ChangeFloor(DateTimeOffset at) => ChangePrefix + TicksText(at);

    /// <summary>Whether <paramref name="rowKey"/> is a change key or a change floor (what a change feed cursor may hold).</summary>
    public static bool IsChangePosition(string rowKey)
    {
        if (!rowKey.StartsWith(ChangePrefix, StringComparison.Ordinal) || rowKey.Length < ChangePrefix.Length + 19) return false;
        if (rowKey.AsSpan(ChangePrefix.Length, 19).ContainsAnyExceptInRange('0', '9')) return false;
        if (rowKey.Length == ChangePrefix.Length + 19) return true;
        var tail = rowKey.AsSpan(ChangePrefix.Length + 19);
        return tail.Length > 1 && tail[0] == Separator && !tail[1..].ContainsAnyExcept("0123456789abcdef");
    }

    /// <summary>When a change row was stamped, from its key.</summary>
    public static DateTimeOffset ChangeStampOf(string rowKey) =>
        new(long.Parse(rowKey.AsSpan(ChangePrefix.Length, 19), CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>The Key Vault secret holding a token's hash.</summary>
    public static string TokenSecretName(string directoryId, string tokenId) => $"{TokenSecretPrefix}{directoryId}-{tokenId}";

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

    // The activity table: day partitions of the request log, and the status row.
    public const string ActivityStatusRow = "status";
    private const string ActivityStatusSuffix = "status";
    private const int LatestDayNumber = 99_999_999;

    /// <summary>The partition holding a directory's requests of the UTC day of <paramref name="at"/>.</summary>
    public static string ActivityDay(string directoryId, DateTimeOffset at) =>
        ActivityDaysPrefix(directoryId) + (LatestDayNumber - DayNumber(at)).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Every day partition of a directory starts with this (and sorts below <see cref="ActivityDaysEnd"/>).</summary>
    public static string ActivityDaysPrefix(string directoryId) => Partition(directoryId) + Separator;

    /// <summary>The exclusive upper bound of a directory's day partitions (digits end at <c>9</c>; <c>:</c> follows).</summary>
    public static string ActivityDaysEnd(string directoryId) => ActivityDaysPrefix(directoryId) + ":";

    /// <summary>The partition of a directory's connection status row.</summary>
    public static string ActivityStatusPartition(string directoryId) => ActivityDaysPrefix(directoryId) + ActivityStatusSuffix;

    /// <summary>The row key of a logged request: inverted ticks (newest first in key order), then the request id.</summary>
    public static string ActivityEntry(DateTimeOffset at, string requestId) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + Separator + requestId;

    /// <summary>Whether a key is one of <paramref name="directoryId"/>'s day partitions.</summary>
    public static bool IsActivityDayOf(string directoryId, string partitionKey) =>
        partitionKey.Length == ActivityDaysPrefix(directoryId).Length + 8
        && partitionKey.StartsWith(ActivityDaysPrefix(directoryId), StringComparison.Ordinal)
        && partitionKey[^8..].All(char.IsAsciiDigit);

    // The portal table: per directory (or the operator partition), its portal links and the sessions redeemed
    // from them, side by side, so a session and its link are read in one request.
    public const string PortalOperatorPartition = "operator|";
    public const string PortalLinkPrefix = "link|";
    public const string PortalSessionPrefix = "session|";

    /// <summary>The portal partition of a directory's links and sessions; null is the operator's (all directories).
    /// Escaped directory ids never hold <c>|</c>, so no directory shares the operator's partition.</summary>
    public static string PortalPartition(string? directoryId) => directoryId is null ? PortalOperatorPartition : Partition(directoryId);

    public static string PortalLink(string linkId) => PortalLinkPrefix + linkId;

    /// <summary>Every session redeemed from a link starts with this.</summary>
    public static string PortalSessionsOf(string linkId) => PortalSessionPrefix + linkId + Separator;

    /// <summary>A session row: the link it came from and the SHA-256 (hex) of the session secret.</summary>
    public static string PortalSession(string linkId, string sessionHash) => PortalSessionsOf(linkId) + sessionHash;

    // The tokens table: besides one row per token, a directory's active-token slots.
    public const string TokenSlotPrefix = "slot|";

    /// <summary>The row claiming one of a directory's active-token slots (token ids are hex, so they sort before it).</summary>
    public static string TokenSlot(int slot) => TokenSlotPrefix + slot.ToString(CultureInfo.InvariantCulture);
    // The webhooks table (ScimWebhooks), a table of its own so deliveries never contend with provisioning writes:
    // endpoints in one partition; per endpoint, one partition of delivery state (one row per directory, so an
    // endpoint's backlog and health are one range read) and one partition of its delivery log, newest first.
    public const string WebhookEndpointsPartition = "endpoints";
    public const string WebhookStatePrefix = "state|";
    public const string WebhookSecretPrefix = "whsec-";

    public static string WebhookStatePartition(string endpointId) => "endpoint|" + endpointId;

    public static string WebhookState(string directoryId) => WebhookStatePrefix + Escape(directoryId);

    public static string WebhookLogPartition(string endpointId) => "log|" + endpointId;

    /// <summary>A delivery-log row key: inverted ticks (newest first), then the attempt id.</summary>
    public static string WebhookLogEntry(DateTimeOffset at, string attemptId) => ActivityEntry(at, attemptId);

    /// <summary>Log rows of attempts made before <paramref name="at"/> sort at or after this key.</summary>
    public static string WebhookLogBefore(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>The Key Vault secret (or development row) holding one version of an endpoint's signing secret.</summary>
    public static string WebhookSecretName(string endpointId, int version) =>
        WebhookSecretPrefix + endpointId + "-" + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>The stable id of the <paramref name="index"/>th event made from a change row: the same on every
    /// attempt and every instance, so receivers can deduplicate by <c>webhook-id</c>.</summary>
    public static string WebhookEventId(string directoryId, string changeKey, int index) =>
        "msg_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            directoryId + Separator + changeKey + Separator + index.ToString(CultureInfo.InvariantCulture))))[..32];

    /// <summary>Whether <paramref name="text"/> has the form of <see cref="WebhookEventId"/>.</summary>
    public static bool IsWebhookEventId(string? text) =>
        text is { Length: 36 } && text.StartsWith("msg_", StringComparison.Ordinal) && !text.AsSpan(4).ContainsAnyExcept("0123456789abcdef");

    private static int DayNumber(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return day.Year * 10_000 + day.Month * 100 + day.Day;
    }

    private static string TicksText(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
