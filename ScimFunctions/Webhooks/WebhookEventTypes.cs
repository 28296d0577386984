namespace ScimFunctions.Webhooks;

/// <summary>The event types an endpoint can subscribe to.</summary>
public static class WebhookEventTypes
{
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDeleted = "user.deleted";
    public const string UserRolesChanged = "user.roles_changed";
    public const string GroupCreated = "group.created";
    public const string GroupUpdated = "group.updated";
    public const string GroupDeleted = "group.deleted";
    public const string GroupUserAdded = "group.user_added";
    public const string GroupUserRemoved = "group.user_removed";
    public const string DirectoryConnected = "directory.connected";
    public const string DirectoryFailing = "directory.failing";

    public static readonly IReadOnlyList<string> All =
    [
        UserCreated, UserUpdated, UserDeleted, UserRolesChanged,
        GroupCreated, GroupUpdated, GroupDeleted, GroupUserAdded, GroupUserRemoved,
        DirectoryConnected, DirectoryFailing,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
