using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class PatchEngineTests
{
    private static PatchRequest Request(string operationsJson)
        => PatchRequest.Parse(ScimJson.ParseObject(
            $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":{{operationsJson}}}"""));

    private static PatchOutcome PatchUser(string operationsJson, JsonObject? user = null)
        => PatchEngine.Apply(user ?? BarbaraJensen(), Request(operationsJson), ResourceSchemas.User);

    private static PatchOutcome PatchGroup(string operationsJson)
        => PatchEngine.Apply(Group(), Request(operationsJson), ResourceSchemas.Group);

    private static JsonArray Emails(JsonObject user) => user["emails"]!.AsArray();

    // RFC 7644 §3.5.2.1 (add)
    [Fact]
    public void Rfc_add_member_to_group_is_an_added_member_delta_and_leaves_the_document_alone()
    {
        var outcome = PatchGroup("""
            [{"op":"add","path":"members","value":[{"display":"Babs Jensen",
              "$ref":"https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646",
              "value":"2819c223-7f76-453a-919d-413861904646"}]}]
            """);
        var delta = outcome.Members!;
        Assert.False(delta.ReplaceAll);
        Assert.Empty(delta.Removed);
        Assert.Equal(new MemberRef("2819c223-7f76-453a-919d-413861904646", null, "Babs Jensen"), Assert.Single(delta.Added));
        Assert.False(outcome.ResourceChanged);
        Assert.Null(outcome.Resource["members"]);
    }

    [Fact]
    public void Rfc_add_without_path_adds_emails_and_sets_nickName()
    {
        var outcome = PatchUser("""
            [{"op":"add","value":{"emails":[{"value":"babs@jensen.org","type":"home"},{"value":"b@new.example","type":"other"}],"nickname":"Babs2"}}]
            """);
        var emails = Emails(outcome.Resource);
        Assert.Equal(3, emails.Count); // babs@jensen.org already existed: not added twice
        Assert.Equal("b@new.example", emails[2]!["value"]!.GetValue<string>());
        Assert.Equal("Babs2", outcome.Resource["nickName"]!.GetValue<string>());
        Assert.True(outcome.ResourceChanged);
    }

    // RFC 7644 §3.5.2.2 (remove)
    [Fact]
    public void Rfc_remove_single_member_by_filter()
    {
        var outcome = PatchGroup("""[{"op":"remove","path":"members[value eq \"2819c223-7f76-453a-919d-413861904646\"]"}]""");
        Assert.Equal(["2819c223-7f76-453a-919d-413861904646"], outcome.Members!.Removed);
        Assert.False(outcome.Members.ReplaceAll);
        Assert.Empty(outcome.Members.Added);
    }

    [Fact]
    public void Rfc_remove_all_members()
    {
        var outcome = PatchGroup("""[{"op":"remove","path":"members"}]""");
        Assert.True(outcome.Members!.ReplaceAll);
        Assert.Empty(outcome.Members.Added);
    }

    [Fact]
    public void Rfc_remove_then_add_members_in_one_request()
    {
        var outcome = PatchGroup("""
            [{"op":"remove","path":"members[value eq\"2819c223-7f76-453a-919d-413861904646\"]"},
             {"op":"add","path":"members","value":[{"display":"James Smith","value":"08e1d05d-121c-4561-8b96-473d93df9210"}]}]
            """);
        Assert.Equal(["2819c223-7f76-453a-919d-413861904646"], outcome.Members!.Removed);
        Assert.Equal(["08e1d05d-121c-4561-8b96-473d93df9210"], outcome.Members.Added.Select(m => m.Value));
    }

    [Fact]
    public void Rfc_remove_all_then_add_is_a_replace_all()
    {
        var outcome = PatchGroup("""
            [{"op":"remove","path":"members"},
             {"op":"add","path":"members","value":[{"value":"2819c223"},{"value":"08e1d05d"}]}]
            """);
        Assert.True(outcome.Members!.ReplaceAll);
        Assert.Equal(["2819c223", "08e1d05d"], outcome.Members.Added.Select(m => m.Value));
    }

    [Fact]
    public void Rfc_remove_work_emails_by_complex_filter()
    {
        var outcome = PatchUser("""[{"op":"remove","path":"emails[type eq \"work\" and value ew \"example.com\"]"}]""");
        Assert.Equal(["babs@jensen.org"], Emails(outcome.Resource).Select(e => e!["value"]!.GetValue<string>()));
    }

    [Fact]
    public void Remove_of_a_single_valued_attribute_and_of_a_sub_attribute()
    {
        var outcome = PatchUser("""[{"op":"remove","path":"title"},{"op":"remove","path":"name.middleName"}]""");
        Assert.Null(outcome.Resource["title"]);
        Assert.Null(outcome.Resource["name"]!["middleName"]);
        Assert.Equal("Barbara", outcome.Resource["name"]!["givenName"]!.GetValue<string>());
    }

    // RFC 7644 §3.5.2.3 (replace)
    [Fact]
    public void Rfc_replace_members_is_a_replace_all()
    {
        var outcome = PatchGroup("""
            [{"op":"replace","path":"members","value":[
              {"display":"Babs Jensen","$ref":"https://example.com/v2/Users/2819c223","value":"2819c223"},
              {"display":"James Smith","$ref":"https://example.com/v2/Users/08e1d05d","value":"08e1d05d"}]}]
            """);
        Assert.True(outcome.Members!.ReplaceAll);
        Assert.Equal(["2819c223", "08e1d05d"], outcome.Members.Added.Select(m => m.Value));
    }

    [Fact]
    public void Rfc_replace_work_address_by_filter()
    {
        var outcome = PatchUser("""
            [{"op":"replace","path":"addresses[type eq \"work\"]","value":{"type":"work","streetAddress":"911 Universal City Plaza",
              "locality":"Hollywood","region":"CA","postalCode":"91608","country":"US","formatted":"911 Universal City Plaza\nHollywood, CA 91608 US","primary":true}}]
            """);
        var work = outcome.Resource["addresses"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "work")!;
        Assert.Equal("911 Universal City Plaza", work["streetAddress"]!.GetValue<string>());
        Assert.Equal("US", work["country"]!.GetValue<string>());
        Assert.True(work["primary"]!.GetValue<bool>());
    }

    [Fact]
    public void Rfc_replace_sub_attribute_of_filtered_value()
    {
        var outcome = PatchUser("""[{"op":"replace","path":"addresses[type eq \"work\"].streetAddress","value":"1010 Broadway Ave"}]""");
        var addresses = outcome.Resource["addresses"]!.AsArray();
        Assert.Equal("1010 Broadway Ave", addresses[0]!["streetAddress"]!.GetValue<string>());
        Assert.Equal("456 Hollywood Blvd", addresses[1]!["streetAddress"]!.GetValue<string>());
    }

    [Fact]
    public void Rfc_replace_without_path_sets_emails_and_nickName()
    {
        var outcome = PatchUser("""
            [{"op":"replace","value":{"emails":[{"value":"bjensen@example.com","type":"work","primary":true},
              {"value":"babs@jensen.org","type":"home"}],"nickName":"Babs"}}]
            """);
        Assert.Equal(2, Emails(outcome.Resource).Count);
        Assert.Equal("Babs", outcome.Resource["nickName"]!.GetValue<string>());
    }

    // Shapes IdPs send (idp-behaviour.md)
    [Fact]
    public void Entra_capitalised_ops_and_string_boolean()
    {
        var outcome = PatchUser("""[{"op":"Replace","path":"active","value":"False"}]""");
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
    }

    [Fact]
    public void Entra_member_removal_with_value_list_removes_only_those()
    {
        var outcome = PatchGroup("""[{"op":"Remove","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]""");
        Assert.False(outcome.Members!.ReplaceAll);
        Assert.Equal(["u1", "u2"], outcome.Members.Removed);
    }

    [Fact]
    public void Entra_add_to_filtered_email_creates_it_when_missing()
    {
        var user = BarbaraJensen();
        user.Remove("emails");
        var outcome = PatchUser("""[{"op":"Add","path":"emails[type eq \"work\"].value","value":"new@example.com"}]""", user);
        var email = Assert.Single(Emails(outcome.Resource))!;
        Assert.Equal("work", email["type"]!.GetValue<string>());
        Assert.Equal("new@example.com", email["value"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_replace_filtered_email_value_and_urn_qualified_enterprise_attribute()
    {
        var outcome = PatchUser("""
            [{"op":"Replace","path":"emails[type eq \"work\"].value","value":"babs@new.example"},
             {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"42"}]
            """);
        Assert.Equal("babs@new.example", Emails(outcome.Resource)[0]!["value"]!.GetValue<string>());
        Assert.Equal("42", outcome.Resource[ScimConstants.EnterpriseUserSchema]!["employeeNumber"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_aadOptscim_no_path_replace_with_dotted_keys()
    {
        var outcome = PatchUser("""[{"op":"replace","value":{"name.givenName":"Barb","name.familyName":"Jensen","active":false}}]""");
        Assert.Equal("Barb", outcome.Resource["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("Jensen", outcome.Resource["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("Jane", outcome.Resource["name"]!["middleName"]!.GetValue<string>());
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
    }

    [Fact]
    public void Entra_manager_add_with_ref_value_array()
    {
        var outcome = PatchUser("""
            [{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
              "value":[{"$ref":"../Users/abc","value":"abc"}]}]
            """);
        var manager = outcome.Resource[ScimConstants.EnterpriseUserSchema]!["manager"]!;
        Assert.Equal("abc", manager["value"]!.GetValue<string>());
    }

    [Fact]
    public void No_path_value_with_urn_keys_sets_extension_attributes()
    {
        var outcome = PatchUser("""
            [{"op":"replace","value":{
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter":"9"}}]
            """);
        var enterprise = outcome.Resource[ScimConstants.EnterpriseUserSchema]!;
        Assert.Equal("Sales", enterprise["department"]!.GetValue<string>());
        Assert.Equal("9", enterprise["costCenter"]!.GetValue<string>());
        Assert.Equal("701984", enterprise["employeeNumber"]!.GetValue<string>());
    }

    [Fact]
    public void Okta_deactivate_without_path()
        => Assert.False(PatchUser("""[{"op":"replace","value":{"active":false}}]""").Resource["active"]!.GetValue<bool>());

    [Fact]
    public void Okta_group_rename_with_id_resent_and_membership_ops()
    {
        var outcome = PatchGroup("""
            [{"op":"replace","value":{"id":"e9e30dba-f08f-4109-8486-d5c6a331660a","displayName":"Guides"}},
             {"op":"remove","path":"members[value eq \"u1\"]"},
             {"op":"add","path":"members","value":[{"value":"u2"},{"value":"u3"}]}]
            """);
        Assert.Equal("Guides", outcome.Resource["displayName"]!.GetValue<string>());
        Assert.Equal(["u1"], outcome.Members!.Removed);
        Assert.Equal(["u2", "u3"], outcome.Members.Added.Select(m => m.Value));
    }

    [Fact]
    public void OneLogin_member_removal_either_shape_and_or_of_values()
    {
        Assert.Equal(["a", "b"], PatchGroup("""[{"op":"remove","path":"members[value eq \"a\" or value eq \"b\"]"}]""").Members!.Removed);
        Assert.Equal(["a"], PatchGroup("""[{"op":"remove","path":"members","value":[{"value":"a"}]}]""").Members!.Removed);
    }

    [Fact]
    public void Add_then_remove_of_the_same_member_nets_to_a_removal()
    {
        var delta = PatchGroup("""[{"op":"add","path":"members","value":[{"value":"a"}]},{"op":"remove","path":"members[value eq \"a\"]"}]""").Members!;
        Assert.Empty(delta.Added);
        Assert.Equal(["a"], delta.Removed);
    }

    // Errors
    [Fact]
    public void Replace_on_filtered_attribute_with_no_match_is_noTarget()
        => Throws400(() => PatchUser("""[{"op":"replace","path":"emails[type eq \"pager\"].value","value":"x"}]"""), ScimErrorType.NoTarget);

    [Fact]
    public void Remove_without_path_is_noTarget()
        => Throws400(() => PatchUser("""[{"op":"remove"}]"""), ScimErrorType.NoTarget);

    [Theory]
    [InlineData("""[{"op":"replace","path":"id","value":"x"}]""")]
    [InlineData("""[{"op":"replace","path":"meta.created","value":"2020-01-01T00:00:00Z"}]""")]
    [InlineData("""[{"op":"add","path":"groups","value":[{"value":"g1"}]}]""")]
    [InlineData("""[{"op":"remove","path":"groups[value eq \"g1\"]"}]""")]
    [InlineData("""[{"op":"replace","value":{"groups":[{"value":"g1"}]}}]""")]
    [InlineData("""[{"op":"replace","value":{"id":"another-id"}}]""")]
    public void ReadOnly_targets_are_400_mutability(string operations)
        => Throws400(() => PatchUser(operations), ScimErrorType.Mutability);

    [Fact]
    public void Member_sub_attributes_are_immutable()
        => Throws400(() => PatchGroup("""[{"op":"replace","path":"members[value eq \"a\"].display","value":"x"}]"""), ScimErrorType.Mutability);

    [Theory]
    [InlineData("""[{"op":"replace","path":"emails[type eq \"work\"","value":"x"}]""", ScimErrorType.InvalidPath)]
    [InlineData("""[{"op":"replace","path":"name..givenName","value":"x"}]""", ScimErrorType.InvalidPath)]
    [InlineData("""[{"op":"replace","path":"emails[type zz \"work\"]","value":"x"}]""", ScimErrorType.InvalidPath)]
    [InlineData("""[{"op":"move","path":"title","value":"x"}]""", ScimErrorType.InvalidSyntax)]
    [InlineData("""[{"path":"title","value":"x"}]""", ScimErrorType.InvalidSyntax)]
    [InlineData("""[{"op":"replace","path":"active","value":"maybe"}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"replace","path":"name","value":5}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"replace","value":"not an object"}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"remove","path":"userName"}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"replace","path":"userName","value":""}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"replace","path":"emails[primary gt true]","value":{"value":"x"}}]""", ScimErrorType.InvalidFilter)]
    [InlineData("""[{"op":"replace","path":123,"value":"x"}]""", ScimErrorType.InvalidPath)]
    [InlineData("""[{"op":"add","path":"emails[type eq \"work\" or type eq \"home\"].display","value":"x"}]""", ScimErrorType.NoTarget)]
    public void Malformed_patches_are_400_with_the_right_scimType(string operations, string scimType)
    {
        var user = BarbaraJensen();
        if (scimType == ScimErrorType.NoTarget) user.Remove("emails");
        Throws400(() => PatchUser(operations, user), scimType);
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"members","value":[{"display":"no value"}]}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"add","path":"members","value":[{"value":"u","type":"Robot"}]}]""", ScimErrorType.InvalidValue)]
    [InlineData("""[{"op":"remove","path":"members[type eq \"User\"]"}]""", ScimErrorType.InvalidFilter)]
    [InlineData("""[{"op":"replace","path":"members[value eq \"a\"]","value":{"value":"b"}}]""", ScimErrorType.InvalidPath)]
    [InlineData("""[{"op":"remove","path":"displayName"}]""", ScimErrorType.InvalidValue)]
    public void Malformed_group_patches_are_400_with_the_right_scimType(string operations, string scimType)
        => Throws400(() => PatchGroup(operations), scimType);

    [Fact]
    public void Failed_request_changes_nothing_even_after_earlier_operations_applied()
    {
        var user = BarbaraJensen();
        var before = user.ToJsonString();
        Throws400(() => PatchUser("""[{"op":"replace","path":"title","value":"Boss"},{"op":"replace","path":"id","value":"x"}]""", user), ScimErrorType.Mutability);
        Assert.Equal(before, user.ToJsonString());
    }

    [Fact]
    public void Adding_a_primary_email_clears_the_old_primary()
    {
        var outcome = PatchUser("""[{"op":"add","path":"emails","value":[{"value":"new@example.com","type":"other","primary":"True"}]}]""");
        var primaries = Emails(outcome.Resource).Where(e => e!["primary"]?.GetValue<bool>() == true).ToList();
        Assert.Equal("new@example.com", Assert.Single(primaries)!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Unknown_custom_attributes_and_extensions_are_kept_and_patchable()
    {
        var outcome = PatchUser("""
            [{"op":"add","path":"costCentreCode","value":"CC-1"},
             {"op":"add","path":"urn:example:params:scim:schemas:extension:acme:2.0:User:badge","value":"B-7"}]
            """);
        Assert.Equal("CC-1", outcome.Resource["costCentreCode"]!.GetValue<string>());
        Assert.Equal("B-7", outcome.Resource["urn:example:params:scim:schemas:extension:acme:2.0:User"]!["badge"]!.GetValue<string>());
        Assert.Contains("urn:example:params:scim:schemas:extension:acme:2.0:User",
            outcome.Resource["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public void Password_is_accepted_but_never_stored()
        => Assert.Null(PatchUser("""[{"op":"replace","path":"password","value":"secret"}]""").Resource["password"]);

    [Fact]
    public void Removing_the_whole_enterprise_extension_drops_it_from_schemas()
    {
        var outcome = PatchUser("""[{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}]""");
        Assert.Null(outcome.Resource[ScimConstants.EnterpriseUserSchema]);
        Assert.DoesNotContain(ScimConstants.EnterpriseUserSchema, outcome.Resource["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
    }
}
