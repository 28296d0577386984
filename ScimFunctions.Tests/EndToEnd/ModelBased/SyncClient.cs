using System.Net;
using System.Text.Json.Nodes;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>
/// One IdP connection of a directory: a seeded random sequence of operations in one dialect, over HTTP. Each
/// client owns the users and groups it created (names carry its prefix), so clients run at once without
/// making the model ambiguous; the model changes only when the server acknowledged a write. Refused writes
/// (a taken userName, a group naming a stranger) are sent too and must change nothing.
/// </summary>
public sealed class SyncClient(ScimClient scim, IdpDialect dialect, SyncModel model, string prefix, Random random)
{
    private const int GroupNames = 6;
    private readonly List<string> _users = [];
    private readonly List<string> _freedNames = [];
    private readonly List<string> _groups = [];
    private int _nextUser;

    public List<string> Unexpected { get; } = [];

    /// <summary>The group names this client may give its groups (role mappings by name target them too).</summary>
    public static string GroupName(string prefix, int index) => $"{prefix} team {index}";

    public async Task RunAsync(int operations)
    {
        for (var i = 0; i < operations; i++) await StepAsync();
    }

    private async Task StepAsync()
    {
        var roll = random.Next(100);
        if (_users.Count < 3 || roll < 18) await CreateUserAsync();
        else if (roll < 30) await UpdateUserAsync(Pick(_users));
        else if (roll < 42) await ToggleActiveAsync(Pick(_users));
        else if (roll < 47 && dialect.DeletesUsers) await DeleteUserAsync(Pick(_users));
        else if (roll < 52 && _groups.Count < 4) await CreateGroupAsync();
        else if (roll < 58 && _groups.Count > 0) await RenameGroupAsync(Pick(_groups));
        else if (roll < 75 && _groups.Count > 0) await AddMembersAsync(Pick(_groups));
        else if (roll < 87 && _groups.Count > 0) await RemoveMembersAsync(Pick(_groups));
        else if (roll < 89 && _groups.Count > 0) await DeleteGroupAsync(Pick(_groups));
        else if (roll < 94) await RefusedDuplicateUserAsync();
        else await RefusedGroupWithStrangerAsync();
    }

    private async Task CreateUserAsync()
    {
        // Sometimes the userName of a user deleted earlier: a re-created user is a new user with a new id.
        string userName;
        if (_freedNames.Count > 0 && random.Next(3) == 0)
        {
            userName = _freedNames[random.Next(_freedNames.Count)];
            _freedNames.Remove(userName);
        }
        else
        {
            userName = $"{prefix}.user{_nextUser++}@example.test";
        }
        var planned = new ModelUser("", userName, "Display " + random.Next(1000), Active: random.Next(5) != 0);
        var response = await SendAsync(dialect.CreateUser(planned), SyncModel.NameKey(userName));
        if (response is null) { _freedNames.Add(userName); return; }
        var user = planned with { Id = response.Id };
        _users.Add(user.Id);
        model.PutUser(user, $"{dialect.Name}: created {user}");
    }

    private async Task UpdateUserAsync(string id)
    {
        var after = model.User(id)! with { DisplayName = "Renamed " + random.Next(100_000) };
        if (await SendAsync(dialect.UpdateUser(after), id) is not null) model.PutUser(after, $"{dialect.Name}: updated displayName to {after.DisplayName}");
    }

    private async Task ToggleActiveAsync(string id)
    {
        var after = model.User(id)! with { Active = !model.User(id)!.Active };
        if (await SendAsync(dialect.SetActive(after), id) is not null) model.PutUser(after, $"{dialect.Name}: active {after.Active}");
    }

    private async Task DeleteUserAsync(string id)
    {
        var user = model.User(id)!;
        if (dialect.SoftDeletesFirst && user.Active)
        {
            var soft = user with { Active = false };
            if (await SendAsync(dialect.SetActive(soft), id) is null) return;
            model.PutUser(soft, $"{dialect.Name}: soft delete (active false)");
        }
        if (await SendAsync(dialect.DeleteUser(id), id, HttpStatusCode.NoContent) is null) return;
        _users.Remove(id);
        _freedNames.Add(user.UserName);
        model.DeleteUser(id, $"{dialect.Name}: deleted");
    }

    private async Task CreateGroupAsync()
    {
        if (FreeGroupName() is not { } name) return;
        var response = await SendAsync(dialect.CreateGroup(name), "group:" + name);
        if (response is null) return;
        _groups.Add(response.Id);
        model.PutGroup(new ModelGroup(response.Id, name, new HashSet<string>(StringComparer.Ordinal)), $"{dialect.Name}: created group '{name}'");
    }

    private async Task RenameGroupAsync(string id)
    {
        if (FreeGroupName() is not { } name) return;
        var group = model.Group(id)!;
        if (await SendAsync(dialect.RenameGroup(id, name), id) is not null) model.PutGroup(group with { DisplayName = name }, $"{dialect.Name}: renamed '{group.DisplayName}' to '{name}'");
    }

    private async Task AddMembersAsync(string id)
    {
        var group = model.Group(id)!;
        var added = _users.Where(u => !group.Members.Contains(u)).OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
        if (added.Count == 0) return;
        if (await SendAsync(dialect.AddMembers(group, added), id) is null) return;
        model.PutGroup(group with { Members = group.Members.Union(added).ToHashSet(StringComparer.Ordinal) }, $"{dialect.Name}: added {string.Join(",", added)}");
    }

    private async Task RemoveMembersAsync(string id)
    {
        var group = model.Group(id)!;
        var removed = group.Members.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).ToList();
        if (removed.Count == 0) return;
        if (await SendAsync(dialect.RemoveMembers(group, removed, random.Next()), id) is null) return;
        model.PutGroup(group with { Members = group.Members.Except(removed).ToHashSet(StringComparer.Ordinal) }, $"{dialect.Name}: removed {string.Join(",", removed)}");
    }

    private async Task DeleteGroupAsync(string id)
    {
        if (await SendAsync(dialect.DeleteGroup(id), id, HttpStatusCode.NoContent) is null) return;
        _groups.Remove(id);
        model.DeleteGroup(id, $"{dialect.Name}: deleted group");
    }

    private async Task RefusedDuplicateUserAsync()
    {
        var taken = model.User(Pick(_users))!;
        var duplicate = new ModelUser("", taken.UserName.ToUpperInvariant(), "Duplicate", true);
        await ExpectRefusedAsync(dialect.CreateUser(duplicate), HttpStatusCode.Conflict, SyncModel.NameKey(taken.UserName));
    }

    private async Task RefusedGroupWithStrangerAsync()
    {
        var name = $"{prefix} refused {random.Next(1000)}";
        await ExpectRefusedAsync(dialect.CreateGroupWithStranger(name, PartitionLayout.NewId()), HttpStatusCode.BadRequest, "group:" + name);
    }

    private string? FreeGroupName()
    {
        var used = _groups.Select(g => model.Group(g)!.DisplayName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var free = Enumerable.Range(0, GroupNames).Select(i => GroupName(prefix, i)).Where(n => !used.Contains(n)).ToList();
        return free.Count == 0 ? null : free[random.Next(free.Count)];
    }

    private string Pick(List<string> items) => items[random.Next(items.Count)];

    /// <summary>Sends a write that must succeed; null (and an unexpected answer noted) when it did not.</summary>
    private async Task<ScimResponse?> SendAsync(ScimCall call, string historyKey, HttpStatusCode? expected = null)
    {
        var response = await scim.SendAsync(call.Method, call.Path, call.Body, call.ContentType);
        var ok = expected is { } status ? response.Status == status : (int)response.Status is >= 200 and < 300;
        model.Note(historyKey, $"{call} → {(int)response.Status}");
        if (ok) return response;
        Unexpected.Add($"{dialect.Name}: {call} answered {(int)response.Status} {response.Body?.ToJsonString()}");
        return null;
    }

    private async Task ExpectRefusedAsync(ScimCall call, HttpStatusCode expected, string historyKey)
    {
        var response = await scim.SendAsync(call.Method, call.Path, call.Body, call.ContentType);
        model.Note(historyKey, $"(refused) {call} → {(int)response.Status}");
        if (response.Status != expected) Unexpected.Add($"{dialect.Name}: {call} should be refused with {(int)expected}, answered {(int)response.Status} {response.Body?.ToJsonString()}");
        if ((int)response.Status is >= 200 and < 300 && response.Body?["id"] is JsonValue id) model.Note(id.GetValue<string>(), "acknowledged although it should have been refused");
    }
}
