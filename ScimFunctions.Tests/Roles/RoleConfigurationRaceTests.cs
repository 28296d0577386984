using ScimFunctions.Roles;
using ScimFunctions.Scim;

namespace ScimFunctions.Tests.Roles;

/// <summary>Check-then-act races of the role configuration, run with real parallel calls on Azurite, many rounds.</summary>
public sealed class RoleConfigurationRaceTests
{
    [Fact]
    public async Task Twenty_parallel_role_creates_near_the_cap_never_pass_it()
    {
        for (var round = 0; round < 3; round++)
        {
            var world = await RoleWorld.CreateAsync();
            await world.DefineRolesAsync(Enumerable.Range(0, RoleStore.MaxRolesPerDirectory - 5).Select(i => $"base{i}").ToArray());

            var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            {
                try
                {
                    return await world.Roles.PutRoleAsync(world.Directory, new RoleDefinition($"new{i}", $"New {i}", null), CancellationToken.None) ? "created" : "updated";
                }
                catch (RoleConfigurationException refused) when (refused.Kind == ScimErrorKind.Conflict)
                {
                    return "refused";
                }
            })));

            var configuration = await world.Roles.ReadConfigurationAsync(world.Directory, CancellationToken.None);
            Assert.Equal(RoleStore.MaxRolesPerDirectory, configuration.Roles.Count);
            Assert.Equal(5, outcomes.Count(o => o == "created"));
            Assert.Equal(15, outcomes.Count(o => o == "refused"));
        }
    }

    [Fact]
    public async Task A_role_delete_racing_a_mapping_that_names_it_never_both_succeed()
    {
        var world = await RoleWorld.CreateAsync();
        var group = await world.CreateGroupAsync("Engineers");
        var deletes = 0;
        var mappings = 0;
        for (var round = 0; round < 12; round++)
        {
            var key = $"role{round}";
            await world.DefineRolesAsync(key);
            await world.Roles.DeleteMappingAsync(world.Directory, RoleMappingIds.For(GroupMatch.Id, group), CancellationToken.None);
            var delete = Task.Run(() => world.Roles.DeleteRoleAsync(world.Directory, key, CancellationToken.None));
            var map = Task.Run(() => world.Roles.PutMappingAsync(world.Directory, GroupMatch.Id, group, [key], CancellationToken.None));
            var deleted = await Outcome(delete);
            var mapped = await Outcome(map);

            Assert.True(deleted ^ mapped, $"round {round}: delete {(deleted ? "succeeded" : "refused")}, mapping {(mapped ? "succeeded" : "refused")}");
            var configuration = await world.Roles.ReadConfigurationAsync(world.Directory, CancellationToken.None);
            Assert.All(configuration.Mappings, mapping => Assert.All(mapping.Roles, role => Assert.Contains(role, configuration.Roles.Keys)));
            deletes += deleted ? 1 : 0;
            mappings += mapped ? 1 : 0;
        }
        Assert.Equal(12, deletes + mappings);
    }

    [Fact]
    public async Task A_default_role_set_racing_its_delete_never_leaves_a_default_that_is_not_defined()
    {
        var world = await RoleWorld.CreateAsync();
        for (var round = 0; round < 8; round++)
        {
            var key = $"default{round}";
            await world.DefineRolesAsync(key);
            await world.Roles.SetDefaultRoleAsync(world.Directory, null, CancellationToken.None);
            var delete = Task.Run(() => world.Roles.DeleteRoleAsync(world.Directory, key, CancellationToken.None));
            var set = Task.Run(() => world.Roles.SetDefaultRoleAsync(world.Directory, key, CancellationToken.None));
            var deleted = await Outcome(delete);
            var wasSet = await Outcome(set.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }));

            Assert.True(deleted ^ wasSet, $"round {round}");
            var configuration = await world.Roles.ReadConfigurationAsync(world.Directory, CancellationToken.None);
            Assert.True(configuration.DefaultRole is null || configuration.Roles.ContainsKey(configuration.DefaultRole));
        }
    }

    /// <summary>True if the call succeeded (and, for a delete, found the role); false if the configuration refused it.</summary>
    private static async Task<bool> Outcome<T>(Task<T> call)
    {
        try
        {
            var result = await call;
            return result is not false;
        }
        catch (RoleConfigurationException)
        {
            return false;
        }
    }
}
