using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

public class PropertyTests
{
    private const int Iterations = 1500;

    private static readonly Gen<AttributePath> TopLevelPath = Gen.OneOf(
        new AttributePath(null, "userName"),
        new AttributePath(null, "title"),
        new AttributePath(null, "active"),
        new AttributePath(null, "name", "givenName"),
        new AttributePath(null, "emails"),
        new AttributePath(null, "emails", "value"),
        new AttributePath(null, "meta", "lastModified"),
        new AttributePath(ScimConstants.UserSchema, "nickName"),
        new AttributePath(ScimConstants.EnterpriseUserSchema, "department"),
        new AttributePath(null, "customThing"));

    private static readonly Gen<AttributePath> ValuePath = Gen.OneOf(
        new AttributePath(null, "emails"), new AttributePath(null, "addresses"), new AttributePath(null, "roles"));

    private static readonly Gen<AttributePath> InnerPath = Gen.OneOf(
        new AttributePath(null, "type"), new AttributePath(null, "value"), new AttributePath(null, "primary"));

    private static readonly Gen<FilterLiteral> Literal = Gen.OneOf(
        Gen.String.Select(FilterLiteral.String),
        Gen.OneOf("Tour Guide", "work", "bjensen@example.com", "2011-05-13T04:42:34Z", "B", "true").Select(FilterLiteral.String),
        Gen.Int.Select(i => FilterLiteral.Number(i.ToString(CultureInfo.InvariantCulture))),
        Gen.Bool.Select(FilterLiteral.Boolean),
        Gen.Const(FilterLiteral.Null));

    private static readonly Gen<ComparisonOperator> Operator = Gen.Enum<ComparisonOperator>();

    private static Gen<FilterNode> Comparison(Gen<AttributePath> paths)
        => Gen.Select(paths, Operator, Literal, (path, op, literal)
            => (FilterNode)new ComparisonNode(path, op, op == ComparisonOperator.Pr ? null : literal));

    private static Gen<FilterNode> Node(int depth, bool insideValuePath)
    {
        var leaf = Comparison(insideValuePath ? InnerPath : TopLevelPath);
        if (depth == 0) return leaf;
        var child = Node(depth - 1, insideValuePath);
        var options = new List<(int, IGen<FilterNode>)>
        {
            (4, leaf),
            (2, child.Array[2, 4].Select(operands => (FilterNode)new AndNode(operands))),
            (2, child.Array[2, 4].Select(operands => (FilterNode)new OrNode(operands))),
            (1, child.Select(operand => (FilterNode)new NotNode(operand))),
        };
        if (!insideValuePath)
        {
            options.Add((2, Gen.Select(ValuePath, Node(depth - 1, insideValuePath: true), (path, inner) => (FilterNode)new ValuePathNode(path, inner))));
        }
        return Gen.Frequency(options.ToArray());
    }

    private static readonly Gen<FilterNode> AnyFilter = Node(3, insideValuePath: false);

    private static readonly Gen<JsonObject> AnyUser = Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.OneOf("Tour Guide", "B", "work", ""), (hasTitle, active, emailCount, text) =>
    {
        var user = BarbaraJensen();
        if (hasTitle) user["title"] = text; else user.Remove("title");
        user["active"] = active;
        var emails = new JsonArray();
        for (var i = 0; i < emailCount; i++)
        {
            emails.Add(new JsonObject { ["value"] = $"{text}{i}@example.com", ["type"] = i == 0 ? "work" : text, ["primary"] = i == 1 });
        }
        user["emails"] = emails;
        return user;
    });

    [Fact]
    public void Printed_filters_parse_back_to_the_same_tree()
        => AnyFilter.Sample(node =>
        {
            var text = FilterPrinter.Print(node);
            Assert.Equal(node, ScimFilter.Parse(text).Root);
        }, iter: Iterations, threads: 1, print: FilterPrinter.Print);

    [Fact]
    public void Not_f_is_the_negation_of_f()
        => Gen.Select(AnyFilter, AnyUser).Sample((node, user) =>
        {
            var filter = ScimFilter.FromNode(node);
            var negated = ScimFilter.FromNode(new NotNode(node));
            Assert.Equal(!filter.Matches(user), negated.Matches(user));
        }, iter: Iterations, threads: 1);

    private static readonly Gen<string[]> MemberIds = Gen.OneOf("u1", "u2", "u3", "u4", "g1").Array[1, 6];

    private static PatchRequest AddMembers(params string[][] batches)
        => new(batches.Select(ids => new PatchOperation(PatchOperationType.Add, "members",
            new JsonArray(ids.Select(id => (JsonNode?)new JsonObject { ["value"] = id }).ToArray()))).ToArray());

    [Fact]
    public void Adding_the_same_members_twice_equals_adding_them_once()
        => MemberIds.Sample(ids =>
        {
            var once = PatchEngine.Apply(Group(), AddMembers(ids), ResourceSchemas.Group);
            var twice = PatchEngine.Apply(Group(), AddMembers(ids, ids), ResourceSchemas.Group);
            Assert.Equal(once.Members!.Added, twice.Members!.Added);
            Assert.Equal(ids.Distinct().Count(), once.Members.Added.Count);
            Assert.True(JsonNode.DeepEquals(once.Resource, twice.Resource));

            // The same on a stored multi-valued attribute: applying the PATCH again changes nothing.
            var emails = new PatchRequest([new PatchOperation(PatchOperationType.Add, "emails",
                new JsonArray(ids.Select(id => (JsonNode?)new JsonObject { ["value"] = id + "@x", ["type"] = "work" }).ToArray()))]);
            var first = PatchEngine.Apply(BarbaraJensen(), emails, ResourceSchemas.User).Resource;
            var second = PatchEngine.Apply(first, emails, ResourceSchemas.User);
            Assert.False(second.ResourceChanged);
        }, iter: 300, threads: 1);

    private static readonly Gen<JsonNode?> PrimaryFlag = Gen.OneOf<JsonNode?>(null, true, false, "True", "false");

    private static readonly Gen<PatchOperation> EmailOperation = Gen.Select(
        Gen.Int[0, 4], Gen.OneOf("work", "home", "other"), PrimaryFlag, Gen.Int[0, 3],
        (kind, type, primary, count) =>
        {
            JsonObject Email(int i)
            {
                var email = new JsonObject { ["value"] = $"{type}{i}@x", ["type"] = type };
                if (primary is not null) email["primary"] = primary.DeepClone();
                return email;
            }
            var list = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)Email(i)).ToArray());
            return kind switch
            {
                0 => new PatchOperation(PatchOperationType.Add, "emails", list),
                1 => new PatchOperation(PatchOperationType.Replace, "emails", list),
                2 => new PatchOperation(PatchOperationType.Replace, $"emails[type eq \"{type}\"]", Email(9)),
                3 => new PatchOperation(PatchOperationType.Add, $"emails[type eq \"{type}\"].primary", primary?.DeepClone() ?? true),
                _ => new PatchOperation(PatchOperationType.Add, null, new JsonObject { ["emails"] = list }),
            };
        });

    [Fact]
    public void Patch_never_leaves_two_primary_values()
        => EmailOperation.Array[1, 5].Sample(operations =>
        {
            PatchOutcome outcome;
            try
            {
                outcome = PatchEngine.Apply(BarbaraJensen(), new PatchRequest(operations), ResourceSchemas.User);
            }
            catch (ScimException e) when (e.Status == 400)
            {
                return;
            }
            var primaries = outcome.Resource["emails"]?.AsArray().Count(e => e!["primary"]?.GetValue<bool>() == true) ?? 0;
            Assert.True(primaries <= 1, $"{primaries} primary emails in {outcome.Resource["emails"]}");
        }, iter: Iterations, threads: 1);

    private static readonly Gen<string> FilterishText = Gen.OneOf(
        Gen.String,
        Gen.String["()[]\"\\ .:$-_aeqnotrpswcglANDORNOT0123456789u"],
        Gen.Byte.Array[0, 64].Select(bytes => Encoding.UTF8.GetString(bytes)),
        AnyFilter.Select(FilterPrinter.Print).SelectMany(text => Gen.Int[0, Math.Max(0, text.Length - 1)].Select(cut => text[..cut])));

    [Fact]
    public void Random_text_never_crashes_the_filter_or_path_parsers()
        => FilterishText.Sample(text =>
        {
            try
            {
                ScimFilter.Parse(text, ResourceSchemas.User).Matches(BarbaraJensen());
            }
            catch (ScimException e)
            {
                Assert.Equal(400, e.Status);
                Assert.Equal(ScimErrorType.InvalidFilter, e.ScimType);
            }
            try
            {
                PatchEngine.Apply(BarbaraJensen(), new PatchRequest([new PatchOperation(PatchOperationType.Replace, text, "x")]), ResourceSchemas.User);
            }
            catch (ScimException e)
            {
                Assert.Equal(400, e.Status);
            }
        }, iter: 5000, threads: 1);
}
