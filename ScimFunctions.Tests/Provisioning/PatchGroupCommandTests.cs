using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Provisioning;
using ScimFunctions.Storage;
using static ScimFunctions.Tests.Provisioning.ProvisioningFixture;

namespace ScimFunctions.Tests.Provisioning;

/// <summary><see cref="PatchGroupCommand"/> on fake ports: what it asks of storage, not how storage does it.</summary>
public sealed class PatchGroupCommandTests
{
    private const string Directory = "d";
    private static readonly ScimScope Scope = new(Directory, "https://scim.example.test/scim/d/v2");

    private static (PatchGroupCommand Command, FakeDirectoryResources Store, RecordingRoleSignal Signal) Create()
    {
        var store = new FakeDirectoryResources();
        var signal = new RecordingRoleSignal();
        var command = new PatchGroupCommand(store, new ResourceRenderer(store), new RoleSignals([signal], NullLogger<RoleSignals>.Instance));
        return (command, store, signal);
    }

    private static JsonObject RenameAndAdd(string name, string userId) => Patch(
        new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = name },
        new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = userId }) });

    [Fact]
    public async Task A_patch_reads_once_applies_once_checks_members_once_and_writes_each_part_once()
    {
        var (command, store, signal) = Create();
        var group = store.FakeGroups.Add(GroupBody("Before"));

        // excludedAttributes=members: the answer has the document and reads no member row.
        var result = await command.ExecuteAsync(Scope, group.Id, RenameAndAdd("After", "u1"), group.Version, new AttributeSelection([], ["members"]), returnBody: true, default);

        Assert.Equal(1, store.FakeGroups.Gets);
        Assert.Equal(1, store.FakeGroups.Writes);
        Assert.Equal(0, store.FakeGroups.Updates); // no read-modify-write: the PATCH is not applied a second time
        Assert.Equal(["u1"], Assert.Single(store.FakeMemberships.Planned).AddedIds);
        var (committedTo, plan) = Assert.Single(store.FakeMemberships.Committed);
        Assert.Equal(1, store.FakeMemberships.Replacements); // document and members asked for as one commit
        Assert.Equal("After", committedTo.Document["displayName"]!.GetValue<string>()); // the members follow the written document
        Assert.NotEqual(group.Version, committedTo.Version);
        Assert.Equal(["u1"], plan.ToAdd.Keys);
        Assert.Equal(committedTo.Version + "+members", result.Version); // the member write's version, no read after it
        Assert.Equal("After", result.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(["u1"], Assert.Single(signal.Users).UserIds);
        Assert.Contains((Directory, group.Id), signal.Groups);
    }

    [Fact]
    public async Task A_refused_patch_writes_nothing()
    {
        var (command, store, _) = Create();
        var group = store.FakeGroups.Add(GroupBody("Kept"));
        store.FakeMemberships.NotUsers.Add("ghost");

        await Assert.ThrowsAsync<InvalidStoreValueException>(() =>
            command.ExecuteAsync(Scope, group.Id, RenameAndAdd("Renamed", "ghost"), null, AttributeSelection.All, returnBody: false, default));
        await Assert.ThrowsAsync<VersionMismatchException>(() =>
            command.ExecuteAsync(Scope, group.Id, RenameAndAdd("Renamed", "u1"), "W/\"stale\"", AttributeSelection.All, returnBody: false, default));

        Assert.Equal(0, store.FakeGroups.Writes + store.FakeGroups.Updates);
        Assert.Empty(store.FakeMemberships.Committed);
        Assert.Single(store.FakeMemberships.Planned); // the stale If-Match is refused before the members are checked
    }

    [Fact]
    public async Task A_membership_only_patch_writes_no_document()
    {
        var (command, store, _) = Create();
        var group = store.FakeGroups.Add(GroupBody("Same"));

        var add = Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = new JsonArray(new JsonObject { ["value"] = "u1" }) });
        var result = await command.ExecuteAsync(Scope, group.Id, add, null, AttributeSelection.All, returnBody: false, default);

        Assert.Equal((1, 0, 0), (store.FakeGroups.Gets, store.FakeGroups.Writes, store.FakeGroups.Updates));
        Assert.Same(group, Assert.Single(store.FakeMemberships.Committed).Group);
        Assert.Equal(group.Version + "+members", result.Version);
    }
}
