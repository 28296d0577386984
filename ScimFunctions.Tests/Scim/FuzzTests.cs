using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Scim.Schema;
using static ScimFunctions.Tests.Scim.ScimTestData;

namespace ScimFunctions.Tests.Scim;

/// <summary>
/// Generated hostile input for the filter parser, the PATCH engine, the normaliser and the body reader: whatever
/// comes in, the only exception that may come out is a <see cref="ScimException"/> (a 4xx), never a crash (a 500).
/// </summary>
public class FuzzTests
{
    // Each property runs for a second or two.
    private const int Iterations = 20_000;

    /// <summary>Any UTF-16 unit: surrogates (paired or not), control characters, NUL.</summary>
    private static readonly Gen<string> AnyText = Gen.Char.Array[0, 12].Select(chars => new string(chars));

    private static readonly Gen<string> NastyText = Gen.OneOf(
        Gen.Const(""), Gen.Const("\ud800"), Gen.Const("\udc00x"), Gen.Const("a\u0000b"), Gen.Const("\n\t\u007f"),
        Gen.Const("' or 1 eq 1"), Gen.Const("PartitionKey"), Gen.Const("%00/\\#?"), Gen.Const("\"quoted\""),
        Gen.Const("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), Gen.Const("emails[type eq \"work\"].value"),
        Gen.Const(new string('x', 2000)), Gen.Const("2011-05-13T04:42:34Z"), Gen.Const("True"), Gen.Const("12.5"));

    private static readonly Gen<string> Text = Gen.Frequency((2, AnyText), (2, NastyText));

    private static readonly Gen<string> Key = Gen.Frequency(
        (6, Gen.OneOf(
            "userName", "USERNAME", "name", "givenName", "familyName", "emails", "value", "type", "primary", "display",
            "active", "schemas", "members", "displayName", "externalId", "id", "meta", "lastModified", "manager", "title",
            "password", "groups", "roles", "addresses", "phoneNumbers", "x509Certificates", "$ref", "custom", "Operations", "op", "path",
            ScimConstants.EnterpriseUserSchema, ScimConstants.UserSchema, ScimConstants.LegacyCoreSchema, ScimConstants.LegacyEnterpriseSchema,
            ScimConstants.UserSchema + ":name", ScimConstants.EnterpriseUserSchema + ":manager", "urn:unknown:ext", "https://example.test/ext")),
        (1, Text));

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (3, Text.Select(text => (JsonNode?)JsonValue.Create(text))),
        (1, Gen.Int.Select(number => (JsonNode?)JsonValue.Create(number))),
        (1, Gen.Double.Select(number => double.IsFinite(number) ? (JsonNode?)JsonValue.Create(number) : null)),
        (1, Gen.Bool.Select(flag => (JsonNode?)JsonValue.Create(flag))),
        (1, Gen.Const(0).Select(_ => (JsonNode?)null)));

    private static Gen<JsonNode?> Json(int depth)
    {
        if (depth == 0) return Scalar;
        var child = Json(depth - 1);
        return Gen.Frequency(
            (3, Scalar),
            (1, child.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
            (2, Gen.Select(Key, child).Array[0, 5].Select(members => (JsonNode?)ToObject(members))));
    }

    private static JsonObject ToObject((string Key, JsonNode? Value)[] members)
    {
        var result = new JsonObject();
        foreach (var (key, value) in members) result[key] = value;
        return result;
    }

    private static readonly Gen<JsonObject> AnyBody = Gen.Select(Key, Json(3)).Array[0, 8].Select(ToObject);

    private static readonly Gen<string> FilterToken = Gen.Frequency(
        (8, Gen.OneOf(
            "userName", "title", "emails", "emails.value", "type", "value", "primary", "meta.lastModified", "name.givenName", "active",
            ScimConstants.UserSchema + ":userName", ScimConstants.EnterpriseUserSchema + ":department", "members", "x",
            "eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le", "and", "or", "not", "AND", "Or",
            "(", ")", "[", "]", ".", "\"", "\"a\"", "\"work\"", "\"2011-05-13T04:42:34Z\"", "true", "false", "null",
            "1", "-0", "1.5e3", "1e999", "01", "'", "\\", "\"\\u12\"", "\"\\ud800\"")),
        (1, Text));

    private static readonly Gen<string> FilterSoup = Gen.Select(FilterToken, Gen.OneOf("", " ", "  "))
        .Array[1, 12].Select(parts => string.Concat(parts.Select(p => p.Item1 + p.Item2)));

    private static readonly Gen<string> PatchPath = Gen.Frequency(
        (3, Gen.OneOf(
            "userName", "title", "active", "name", "name.givenName", "emails", "emails.value", "emails[type eq \"work\"]",
            "emails[type eq \"work\"].value", "emails[value pr]", "addresses[type eq \"home\"].locality", "members",
            "members[value eq \"u1\"]", "members.value", "groups", "id", "meta", "meta.created", "displayName", "externalId",
            ScimConstants.EnterpriseUserSchema, ScimConstants.EnterpriseUserSchema + ":manager", ScimConstants.EnterpriseUserSchema + ":manager.value",
            ScimConstants.UserSchema + ":nickName", ScimConstants.LegacyEnterpriseSchema + ":department", "urn:unknown:ext:attr", "x509Certificates[primary eq true]")),
        (2, FilterSoup),
        (1, Text));

    private static readonly Gen<JsonObject> AnyOperation = Gen.Select(
        Gen.Frequency((6, Gen.OneOf("add", "remove", "replace", "Add", "REPLACE")), (1, Text)),
        Gen.Frequency((4, PatchPath.Select(p => (JsonNode?)p)), (1, Gen.Const(0).Select(_ => (JsonNode?)null)), (1, Scalar)),
        Json(3),
        (op, path, value) =>
        {
            var operation = new JsonObject { ["op"] = op };
            if (path is not null) operation["path"] = path;
            operation["value"] = value;
            return operation;
        });

    private static readonly Gen<JsonObject> AnyPatchBody = AnyOperation.Array[1, 4].Select(operations =>
        new JsonObject
        {
            ["schemas"] = new JsonArray(ScimConstants.PatchOpSchema),
            ["Operations"] = new JsonArray(operations.Select(o => (JsonNode?)o).ToArray()),
        });

    /// <summary>Runs <paramref name="action"/>; a <see cref="ScimException"/> is the expected refusal, anything else fails the property.</summary>
    private static void OnlyScimExceptions(Action action)
    {
        try
        {
            action();
        }
        catch (ScimException)
        {
        }
    }

    [Fact]
    public void The_filter_parser_and_evaluator_throw_only_scim_errors_for_any_token_soup()
        => FilterSoup.Sample(text =>
        {
            OnlyScimExceptions(() =>
            {
                var filter = ScimFilter.Parse(text);
                filter.Matches(BarbaraJensen());
            });
            OnlyScimExceptions(() => FilterParser.ParsePatchPath(text));
        }, iter: Iterations * 2, threads: 1, print: text => text);

    [Fact]
    public void The_normaliser_throws_only_scim_errors_for_any_json_tree()
        => AnyBody.Sample(body =>
        {
            OnlyScimExceptions(() => ScimNormaliser.NormaliseUser(body));
            OnlyScimExceptions(() => ScimNormaliser.NormaliseGroup(body));
            // The same tree as a request body: through the strict reader first.
            OnlyScimExceptions(() => ScimNormaliser.NormaliseUser(ScimJson.ParseObject(Encoding.UTF8.GetBytes(body.ToJsonString()))));
        }, iter: Iterations, threads: 1, print: body => body.ToJsonString());

    [Fact]
    public void The_patch_engine_throws_only_scim_errors_for_any_operations()
        => AnyPatchBody.Sample(body =>
        {
            OnlyScimExceptions(() =>
            {
                var request = PatchRequest.Parse(ScimJson.ParseObject(Encoding.UTF8.GetBytes(body.ToJsonString())));
                PatchEngine.Apply(BarbaraJensen(), request, ResourceSchemas.User);
                PatchEngine.Apply(Group(), request, ResourceSchemas.Group);
            });
            OnlyScimExceptions(() =>
            {
                var request = PatchRequest.Parse(body);
                var user = PatchEngine.Apply(BarbaraJensen(), request, ResourceSchemas.User).Resource;
                // A second pass over the result: documents PATCH wrote must be PATCHable again.
                PatchEngine.Apply(user, request, ResourceSchemas.User);
            });
        }, iter: Iterations / 3, threads: 1, print: body => body.ToJsonString());

    private static readonly Gen<byte[]> MutatedBody = Gen.Select(
        Gen.OneOf(
            """{"userName":"a","name":{"givenName":"b"},"emails":[{"value":"a@x","primary":true}]}""",
            """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"title","value":"x"}]}""",
            """{"displayName":"G","members":[{"value":"u1"},{"value":"u2"}]}"""),
        Gen.Select(Gen.Int[0, 200], Gen.Byte).Array[1, 6],
        (text, edits) =>
        {
            var bytes = Encoding.UTF8.GetBytes(text).ToList();
            foreach (var (position, value) in edits)
            {
                var at = position % (bytes.Count + 1);
                if (value % 3 == 0 && at < bytes.Count) bytes.RemoveAt(at);
                else if (value % 3 == 1 && at < bytes.Count) bytes[at] = value;
                else bytes.Insert(at, value);
            }
            return bytes.ToArray();
        });

    [Fact]
    public void The_body_reader_throws_only_scim_errors_for_any_bytes()
        => Gen.Frequency((3, MutatedBody), (1, Gen.Byte.Array[0, 64])).Sample(bytes =>
        {
            OnlyScimExceptions(() =>
            {
                var body = ScimJson.ParseObject(bytes);
                ScimNormaliser.NormaliseUser(body);
                PatchEngine.Apply(BarbaraJensen(), PatchRequest.Parse(body), ResourceSchemas.User);
            });
        }, iter: Iterations, threads: 1, print: Convert.ToBase64String);
}
