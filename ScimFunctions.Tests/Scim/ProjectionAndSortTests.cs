using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class ProjectionAndSortTests
{
    private static JsonObject Project(string? attributes, string? excluded, JsonObject? resource = null)
        => Projection.Apply(resource ?? BarbaraJensen(), Projection.ParseList(attributes), Projection.ParseList(excluded), ResourceSchemas.User);

    [Fact]
    public void Attributes_keeps_only_those_plus_always_returned()
    {
        var projected = Project("userName,name.givenName", null);
        Assert.Equal(["schemas", "id", "userName", "name"], projected.Select(p => p.Key));
        Assert.Equal(["givenName"], projected["name"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Excluded_attributes_cannot_remove_always_returned_ones()
    {
        var projected = Project(null, "id,emails,name.middleName,meta");
        Assert.NotNull(projected["id"]);
        Assert.Null(projected["emails"]);
        Assert.Null(projected["meta"]);
        Assert.Null(projected["name"]!["middleName"]);
        Assert.NotNull(projected["name"]!["givenName"]);
    }

    [Fact]
    public void Urn_qualified_names_and_whole_extensions()
    {
        var projected = Project("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", null);
        Assert.Equal(["department"], projected[ScimConstants.EnterpriseUserSchema]!.AsObject().Select(p => p.Key));

        projected = Project(ScimConstants.EnterpriseUserSchema, null);
        Assert.Equal(4, projected[ScimConstants.EnterpriseUserSchema]!.AsObject().Count);
        Assert.Null(projected["userName"]);

        projected = Project("urn:ietf:params:scim:schemas:core:2.0:User:userName", null);
        Assert.NotNull(projected["userName"]);
        Assert.Null(projected[ScimConstants.EnterpriseUserSchema]);

        projected = Project(null, ScimConstants.EnterpriseUserSchema);
        Assert.Null(projected[ScimConstants.EnterpriseUserSchema]);
        Assert.NotNull(projected["userName"]);
    }

    [Fact]
    public void Never_returned_attributes_are_never_returned()
    {
        var user = BarbaraJensen();
        user["password"] = "secret";
        Assert.Null(Project(null, null, user)["password"]);
        Assert.Null(Project("password", null, user)["password"]);
    }

    [Fact]
    public void Multi_valued_sub_attribute_projection()
    {
        var emails = Project("emails.value", null)["emails"]!.AsArray();
        Assert.All(emails, e => Assert.Equal(["value"], e!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public void Group_members_returned_unless_excluded()
    {
        Assert.True(Projection.IsReturned("members", [], [], ResourceSchemas.Group));
        Assert.False(Projection.IsReturned("members", [], ["members"], ResourceSchemas.Group));
        Assert.False(Projection.IsReturned("members", ["displayName"], [], ResourceSchemas.Group));
        Assert.True(Projection.IsReturned("id", [], ["id"], ResourceSchemas.Group));
    }

    private static JsonObject U(string userName, string? email = null, string? created = null, bool primarySecond = false)
    {
        var user = new JsonObject { ["userName"] = userName };
        if (email is not null)
        {
            user["emails"] = new JsonArray(
                new JsonObject { ["value"] = "zzz-" + email },
                new JsonObject { ["value"] = email, ["primary"] = primarySecond });
        }
        if (created is not null) user["meta"] = new JsonObject { ["created"] = created };
        return user;
    }

    private static string[] Names(IEnumerable<JsonObject> users) => users.Select(u => u["userName"]!.GetValue<string>()).ToArray();

    [Fact]
    public void Sort_by_string_is_case_insensitive_and_stable_with_missing_values_last_ascending()
    {
        var users = new[] { U("bob"), U("Alice"), U("carol"), new JsonObject { ["id"] = "x", ["userName"] = null } };
        users[3]["userName"] = "zz-missing-placeholder";
        users[3].Remove("userName");
        var sorted = ResourceSorter.Sort(users, "userName", null, ResourceSchemas.User);
        Assert.Equal(["Alice", "bob", "carol"], Names(sorted.Take(3)));
        Assert.Null(sorted[3]["userName"]);

        var descending = ResourceSorter.Sort(users, "USERNAME", "Descending", ResourceSchemas.User);
        Assert.Null(descending[0]["userName"]);
        Assert.Equal(["carol", "bob", "Alice"], Names(descending.Skip(1)));
    }

    [Fact]
    public void Sort_by_multi_valued_uses_primary_else_first()
    {
        var a = U("a", "m@x", primarySecond: true); // primary value m@x
        var b = U("b", "a@x");                     // no primary: first value zzz-a@x
        var c = U("c", "b@x", primarySecond: true); // primary value b@x
        Assert.Equal(["c", "a", "b"], Names(ResourceSorter.Sort([a, b, c], "emails", "ascending", ResourceSchemas.User)));
        Assert.Equal(["c", "a", "b"], Names(ResourceSorter.Sort([a, b, c], "emails.value", null, ResourceSchemas.User)));
    }

    [Fact]
    public void Sort_by_dateTime_compares_instants()
    {
        var early = U("early", created: "2020-01-01T10:00:00+05:00");
        var late = U("late", created: "2020-01-01T06:00:00Z");
        Assert.Equal(["early", "late"], Names(ResourceSorter.Sort([late, early], "meta.created", null, ResourceSchemas.User)));
    }

    [Fact]
    public void Bad_sort_parameters_are_invalidValue()
    {
        Throws400(() => ResourceSorter.Sort([], "userName", "sideways", ResourceSchemas.User), ScimErrorType.InvalidValue);
        Throws400(() => ResourceSorter.Sort([], "user name", null, ResourceSchemas.User), ScimErrorType.InvalidValue);
    }
}
