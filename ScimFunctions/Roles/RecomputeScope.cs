using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScimFunctions.Roles;

/// <summary>What a recompute message asks for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecomputeScope>))]
public enum RecomputeScope
{
    /// <summary>Recompute <see cref="RoleRecomputeMessage.UserIds"/>.</summary>
    Users,

    /// <summary>Fan out over the members of group <see cref="RoleRecomputeMessage.Key"/>; clears its <c>groupOutbox</c> row when done.</summary>
    Group,

    /// <summary>Fan out over the holders of role <see cref="RoleRecomputeMessage.Key"/>; clears its <c>roleOutbox</c> row when done.</summary>
    RoleHolders,

    /// <summary>Fan out over every user of the directory; clears <c>directoryOutbox|all</c> when done.</summary>
    Directory,

    /// <summary>Enqueue whatever the directory's outbox holds now (after a change whose users the caller does not know).</summary>
    Outbox,
}
