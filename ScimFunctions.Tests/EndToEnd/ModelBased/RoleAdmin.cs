using System.Net;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>The app's admin during the sync: maps groups to roles by id and by name, removes mappings and
/// changes the default role, at random moments while the IdP clients run. The model follows acknowledged changes.</summary>
public sealed class RoleAdmin(ManagementApi api, SyncModel model, IReadOnlyList<string> clientPrefixes, Random random)
{
    public static readonly string[] RoleKeys = ["admin", "editor", "viewer", "auditor", "member"];

    private readonly List<(string MappingId, bool ById, string Group)> _mappings = [];

    public List<string> Unexpected { get; } = [];

    public async Task DefineRolesAsync()
    {
        foreach (var key in RoleKeys)
        {
            var (status, _) = await api.SendAsync(HttpMethod.Put, $"/roles/{key}", new { displayName = key.ToUpperInvariant() });
            Assert.Equal(HttpStatusCode.Created, status);
            model.DefineRole(key);
        }
    }

    public async Task RunAsync(int changes, Func<int> pause)
    {
        for (var i = 0; i < changes; i++)
        {
            await Task.Delay(pause());
            await StepAsync();
        }
    }

    private async Task StepAsync()
    {
        var roll = random.Next(100);
        if (roll < 20)
        {
            var role = random.Next(4) == 0 ? null : RoleKeys[random.Next(RoleKeys.Length)];
            if (await OkAsync(HttpMethod.Put, "/default-role", new { role })) model.SetDefaultRole(role);
        }
        else if (roll < 50 && model.Groups.Count > 0)
        {
            var group = model.Groups.ElementAt(random.Next(model.Groups.Count));
            var roles = PickRoles();
            var (status, body) = await api.SendAsync(HttpMethod.Post, "/role-mappings", new { group = new { id = group.Id }, roles });
            model.Note(group.Id, $"admin: map by id → {string.Join(",", roles)}: {(int)status}");
            if (status == HttpStatusCode.OK)
            {
                model.MapById(group.Id, roles);
                _mappings.Add((body!["id"]!.GetValue<string>(), true, group.Id));
            }
            else if (model.Group(group.Id) is not null && status != HttpStatusCode.BadRequest)
            {
                Unexpected.Add($"mapping group {group.Id} by id answered {(int)status} {body?.ToJsonString()}");
            }
        }
        else if (roll < 80)
        {
            var prefix = clientPrefixes[random.Next(clientPrefixes.Count)];
            var name = SyncClient.GroupName(prefix, random.Next(6));
            var roles = PickRoles();
            var (status, body) = await api.SendAsync(HttpMethod.Post, "/role-mappings", new { group = new { displayName = random.Next(2) == 0 ? name : name.ToUpperInvariant() }, roles });
            if (status != HttpStatusCode.OK) { Unexpected.Add($"mapping name '{name}' answered {(int)status} {body?.ToJsonString()}"); return; }
            model.MapByName(name, roles);
            _mappings.Add((body!["id"]!.GetValue<string>(), false, name));
        }
        else if (_mappings.Count > 0)
        {
            var mapping = _mappings[random.Next(_mappings.Count)];
            var (status, _) = await api.SendAsync(HttpMethod.Delete, $"/role-mappings/{mapping.MappingId}");
            _mappings.RemoveAll(m => m.MappingId == mapping.MappingId);
            if (status == HttpStatusCode.NoContent) model.Unmap(mapping.ById, mapping.Group);
            else if (status != HttpStatusCode.NotFound) Unexpected.Add($"deleting mapping {mapping.MappingId} answered {(int)status}");
        }
    }

    private string[] PickRoles() => [.. RoleKeys.OrderBy(_ => random.Next()).Take(random.Next(1, 3)).Order(StringComparer.Ordinal)];

    private async Task<bool> OkAsync(HttpMethod method, string path, object body)
    {
        var (status, answer) = await api.SendAsync(method, path, body);
        if (status == HttpStatusCode.OK) return true;
        Unexpected.Add($"{method} {path} answered {(int)status} {answer?.ToJsonString()}");
        return false;
    }
}
