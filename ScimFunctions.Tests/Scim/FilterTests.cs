using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class FilterTests
{
    private static bool Matches(string filter, JsonObject? resource = null)
        => ScimFilter.Parse(filter, ResourceSchemas.User).Matches(resource ?? BarbaraJensen());

    // Every filter example of RFC 7644 §3.4.2.2, with whether it matches the RFC's sample user.
    [Theory]
    [InlineData("userName eq \"bjensen@example.com\"", true)]
    [InlineData("name.familyName co \"O'Malley\"", true)]
    [InlineData("userName sw \"J\"", false)]
    [InlineData("userName sw \"B\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"b\"", true)]
    [InlineData("title pr", true)]
    [InlineData("meta.lastModified gt \"2011-05-13T04:42:34Z\"", false)]
    [InlineData("meta.lastModified ge \"2011-05-13T04:42:34Z\"", true)]
    [InlineData("meta.lastModified lt \"2011-05-13T04:42:34Z\"", false)]
    [InlineData("meta.lastModified le \"2011-05-13T04:42:34Z\"", true)]
    [InlineData("title pr and userType eq \"Employee\"", true)]
    [InlineData("title pr or userType eq \"Intern\"", true)]
    [InlineData("schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"", true)]
    [InlineData("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")", true)]
    [InlineData("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")", false)]
    [InlineData("userType eq \"Employee\" and (emails.type eq \"work\")", true)]
    [InlineData("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]", true)]
    [InlineData("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]", true)]
    public void Rfc7644_filter_examples_parse_evaluate_and_round_trip(string text, bool expected)
    {
        var filter = ScimFilter.Parse(text, ResourceSchemas.User);
        Assert.Equal(expected, filter.Matches(BarbaraJensen()));
        var reparsed = ScimFilter.Parse(filter.ToString(), ResourceSchemas.User);
        Assert.Equal(filter.Root, reparsed.Root);
    }

    [Fact]
    public void Precedence_is_not_then_and_then_or()
    {
        var root = ScimFilter.Parse("a pr or b pr and not (c pr)").Root;
        var or = Assert.IsType<OrNode>(root);
        Assert.IsType<ComparisonNode>(or.Operands[0]);
        var and = Assert.IsType<AndNode>(or.Operands[1]);
        Assert.IsType<NotNode>(and.Operands[1]);
    }

    [Fact]
    public void Operators_keywords_and_literals_are_case_insensitive()
    {
        Assert.True(Matches("userName EQ \"BJENSEN@EXAMPLE.COM\" AND active Eq TRUE"));
        Assert.True(Matches("title PR Or NOT (active eq true)"));
    }

    [Fact]
    public void CaseExact_attributes_compare_exactly_and_others_ignore_case()
    {
        Assert.True(Matches("externalId eq \"701984\""));
        Assert.True(Matches("id eq \"2819c223-7f76-453a-919d-413861904646\""));
        Assert.False(Matches("id eq \"2819C223-7F76-453A-919D-413861904646\""));
        Assert.True(Matches("displayName eq \"BABS JENSEN\""));
    }

    [Fact]
    public void DateTimes_compare_as_instants_not_as_text()
    {
        // 06:42:34+02:00 is the same instant as 04:42:34Z.
        Assert.True(Matches("meta.lastModified eq \"2011-05-13T06:42:34+02:00\""));
        Assert.True(Matches("meta.created lt \"2010-01-23T05:56:22+00:30\""));
    }

    [Fact]
    public void Value_path_followed_by_a_sub_attribute_as_Entra_sends_it()
    {
        Assert.True(Matches("emails[type eq \"work\"].value eq \"bjensen@example.com\""));
        Assert.False(Matches("emails[type eq \"home\"].value eq \"bjensen@example.com\""));
        Assert.True(Matches("emails[type eq \"work\"].value pr"));
    }

    [Fact]
    public void Enterprise_attributes_are_reached_through_their_urn()
    {
        Assert.True(Matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\""));
        Assert.True(Matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"26118915-6090-4610-87e4-49d8ca9f808d\""));
        Assert.False(Matches("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Sales\""));
    }

    [Fact]
    public void Ne_and_eq_null_treat_absent_attributes_as_unassigned()
    {
        Assert.True(Matches("nickName ne \"Bob\""));
        Assert.True(Matches("locale ne \"en-US\""));
        Assert.True(Matches("locale eq null"));
        Assert.False(Matches("title eq null"));
        Assert.True(Matches("title ne null"));
    }

    [Fact]
    public void Strings_with_escapes_and_numbers_and_booleans_parse()
    {
        var filter = ScimFilter.Parse("title eq \"Tour \\\"Guide\\\" \\u00e9\\n\"");
        var comparison = Assert.IsType<ComparisonNode>(filter.Root);
        Assert.Equal("Tour \"Guide\" é\n", comparison.Value!.Text);
        Assert.Equal(LiteralKind.Number, Assert.IsType<ComparisonNode>(ScimFilter.Parse("x gt -1.5e3").Root).Value!.Kind);
        Assert.True(ScimFilter.Parse("count gt 2").Matches(new JsonObject { ["count"] = 10 }));
        Assert.False(ScimFilter.Parse("count gt 20").Matches(new JsonObject { ["count"] = 10 }));
    }

    [Fact]
    public void Custom_top_level_attributes_can_be_filtered()
    {
        var user = BarbaraJensen();
        user["costCentreCode"] = "CC-7";
        Assert.True(Matches("costCentreCode eq \"cc-7\"", user));
    }

    [Fact]
    public void Group_displayName_filter_matches_case_insensitively()
    {
        var filter = ScimFilter.Parse("displayName eq \"tour guides\"", ResourceSchemas.Group);
        Assert.True(filter.Matches(Group()));
    }

    [Theory]
    [InlineData("userName eq \"x\"", "userName", "x", false)]
    [InlineData("USERNAME eq \"x\"", "userName", "x", false)]
    [InlineData("externalId eq \"E-1\"", "externalId", "E-1", true)]
    [InlineData("id eq \"abc\"", "id", "abc", true)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"", "userName", "x", false)]
    public void Indexable_single_equalities_are_recognised(string text, string attribute, string value, bool caseExact)
    {
        Assert.True(IndexableFilter.TryExtract(ScimFilter.Parse(text, ResourceSchemas.User), out var match));
        Assert.Equal([new IndexedEquality(attribute, value, caseExact)], match.Equalities);
        Assert.Null(match.Remainder);
    }

    [Fact]
    public void Indexable_and_keeps_the_unindexed_rest_as_remainder()
    {
        var filter = ScimFilter.Parse("userName eq \"a\" and active eq true and externalId eq \"e\"", ResourceSchemas.User);
        Assert.True(IndexableFilter.TryExtract(filter, out var match));
        Assert.Equal(["userName", "externalId"], match.Equalities.Select(e => e.Attribute));
        Assert.Equal("active eq true", match.Remainder!.ToString());

        var group = ScimFilter.Parse("displayName eq \"Admins\"", ResourceSchemas.Group);
        Assert.True(IndexableFilter.TryExtract(group, out var groupMatch));
        Assert.Equal("displayName", groupMatch.Equalities.Single().Attribute);
    }

    [Theory]
    [InlineData("userName ne \"a\"")]
    [InlineData("userName eq \"a\" or externalId eq \"b\"")]
    [InlineData("not (userName eq \"a\")")]
    [InlineData("emails[value eq \"a\"]")]
    [InlineData("name.givenName eq \"a\"")]
    [InlineData("title eq \"a\"")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"1\"")]
    public void Unindexable_filters_are_not_recognised(string text)
        => Assert.False(IndexableFilter.TryExtract(ScimFilter.Parse(text, ResourceSchemas.User), out _));

    [Fact]
    public void Errors_point_at_the_position()
    {
        var error = Throws400(() => ScimFilter.Parse("userName zz \"x\""), ScimErrorType.InvalidFilter);
        Assert.Contains("Unknown operator \"zz\" at position 10", error.Detail);
        error = Throws400(() => ScimFilter.Parse("(userName eq \"x\""), ScimErrorType.InvalidFilter);
        Assert.Contains("position 17", error.Detail);
    }

    // Malformed input corpus: each must be 400 invalidFilter, never any other exception.
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("userName")]
    [InlineData("userName eq")]
    [InlineData("userName eq bjensen")]
    [InlineData("userName eq \"unterminated")]
    [InlineData("userName eq \"bad \\x escape\"")]
    [InlineData("userName eq \"bad \\u12 escape\"")]
    [InlineData("userName like \"x\"")]
    [InlineData("userName === \"x\"")]
    [InlineData("(userName eq \"x\"")]
    [InlineData("userName eq \"x\")")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails type eq \"work\"]")]
    [InlineData("emails[type eq \"work\"]]")]
    [InlineData("emails[addresses[type eq \"work\"]]")]
    [InlineData("userName eq \"x\" and")]
    [InlineData("and userName eq \"x\"")]
    [InlineData("userName eq \"x\" xor title pr")]
    [InlineData("not userName eq \"x\"")]
    [InlineData("()")]
    [InlineData("1abc eq \"x\"")]
    [InlineData("name..givenName eq \"x\"")]
    [InlineData("urn:: eq \"x\"")]
    [InlineData("userName eq 01")]
    [InlineData("userName eq 1.")]
    [InlineData("userName eq --1")]
    [InlineData("active gt true")]
    [InlineData("active eq \"maybe\"")]
    [InlineData("meta.lastModified gt \"yesterday\"")]
    [InlineData("meta.lastModified gt 5")]
    [InlineData("name eq \"x\"")]
    [InlineData("userName[value eq \"x\"]")]
    [InlineData("title lt null")]
    [InlineData("userName eq \"\u0001\"")]
    public void Malformed_filters_are_400_invalidFilter(string text)
        => Throws400(() => ScimFilter.Parse(text, ResourceSchemas.User), ScimErrorType.InvalidFilter);

    [Fact]
    public void Absurd_nesting_and_huge_inputs_are_refused_without_recursion_trouble()
    {
        var deep = new string('(', 100_000) + "title pr" + new string(')', 100_000);
        Throws400(() => ScimFilter.Parse(deep), ScimErrorType.InvalidFilter);
        var nested = string.Concat(Enumerable.Repeat("not (", 40)) + "title pr" + new string(')', 40);
        Assert.Contains("nests more than", Throws400(() => ScimFilter.Parse(nested), ScimErrorType.InvalidFilter).Detail);
        var huge = "userName eq \"" + new string('a', 1_000_000) + "\"";
        Throws400(() => ScimFilter.Parse(huge), ScimErrorType.InvalidFilter);
    }

    [Fact]
    public void Long_and_chains_within_the_length_limit_are_flat_and_evaluate()
    {
        var text = string.Join(" and ", Enumerable.Repeat("title pr", 600));
        var filter = ScimFilter.Parse(text, ResourceSchemas.User);
        Assert.Equal(600, Assert.IsType<AndNode>(filter.Root).Operands.Count);
        Assert.True(filter.Matches(BarbaraJensen()));
    }

    [Fact]
    public void The_rfc_style_operator_directly_before_a_quote_is_accepted()
        => Assert.True(Matches("emails[value eq\"babs@jensen.org\"]"));
}
