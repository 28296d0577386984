using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ScimFunctions.Scim;
using ScimFunctions.Scim.Filter;
using ScimFunctions.Scim.Patch;
using ScimFunctions.Scim.Schema;

namespace ScimFunctions.Benchmarks;

/// <summary>The filters IdPs send, parsed and evaluated against a realistic user.</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private JsonObject _user = null!;
    private ScimFilter _parsedEntraFilter = null!;

    [Params(
        "userName eq \"bjensen@example.com\"",
        "emails[type eq \"work\"].value eq \"bjensen@example.com\" and active eq true",
        "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\") and not (title pr)")]
    public string Filter { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _user = SampleData.User(0);
        _parsedEntraFilter = ScimFilter.Parse(Filter, ResourceSchemas.User);
    }

    [Benchmark]
    public ScimFilter Parse() => ScimFilter.Parse(Filter, ResourceSchemas.User);

    [Benchmark]
    public bool Evaluate() => _parsedEntraFilter.Matches(_user);

    [Benchmark]
    public bool ParseAndEvaluate() => ScimFilter.Parse(Filter, ResourceSchemas.User).Matches(_user);
}

/// <summary>PATCH requests as Entra ID, Okta and OneLogin send them.</summary>
[MemoryDiagnoser]
public class PatchBenchmarks
{
    private JsonObject _user = null!;
    private JsonObject _group = null!;
    private PatchRequest _entraUserUpdate = null!;
    private PatchRequest _oktaDeactivate = null!;
    private PatchRequest _membershipChange = null!;

    [GlobalSetup]
    public void Setup()
    {
        _user = SampleData.User(0);
        _group = ScimNormaliser.NormaliseGroup(ScimJson.ParseObject("""{"displayName":"Engineering"}""")).Resource;
        _group["id"] = "group-1";
        _entraUserUpdate = PatchRequest.Parse(ScimJson.ParseObject("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"Replace","path":"emails[type eq \"work\"].value","value":"new.address@example.com"},
              {"op":"Replace","path":"name.familyName","value":"Jensen-Smith"},
              {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Research"},
              {"op":"Replace","path":"active","value":"True"}]}
            """));
        _oktaDeactivate = PatchRequest.Parse(ScimJson.ParseObject("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}
            """));
        _membershipChange = PatchRequest.Parse(ScimJson.ParseObject("""
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
              {"op":"remove","path":"members[value eq \"user-17\"]"},
              {"op":"add","path":"members","value":[{"value":"user-18"},{"value":"user-19"},{"value":"user-20"}]}]}
            """));
    }

    [Benchmark]
    public PatchOutcome EntraUserUpdate() => PatchEngine.Apply(_user, _entraUserUpdate, ResourceSchemas.User);

    [Benchmark]
    public PatchOutcome OktaDeactivate() => PatchEngine.Apply(_user, _oktaDeactivate, ResourceSchemas.User);

    [Benchmark]
    public PatchOutcome GroupMembershipChange() => PatchEngine.Apply(_group, _membershipChange, ResourceSchemas.Group);
}

/// <summary>Filtering a page of users in memory, as storage does for non-indexed filters.</summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private JsonObject[] _users = [];
    private ScimFilter _filter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _users = Enumerable.Range(0, 1000).Select(SampleData.User).ToArray();
        _filter = ScimFilter.Parse("title sw \"Senior\" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"Research\"", ResourceSchemas.User);
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int FilterThousandUsers()
    {
        var matches = 0;
        foreach (var user in _users) if (_filter.Matches(user)) matches++;
        return matches;
    }
}

internal static class SampleData
{
    private static readonly string[] Departments = ["Research", "Sales", "Operations", "Finance"];

    /// <summary>A user shaped like a OneLogin/Entra provisioned one, normalised as storage keeps it.</summary>
    public static JsonObject User(int index)
    {
        var body = ScimJson.ParseObject($$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "userName": "user{{index}}@example.com",
              "externalId": "ext-{{index}}",
              "name": { "givenName": "Given{{index}}", "familyName": "Family{{index}}", "formatted": "Given{{index}} Family{{index}}" },
              "displayName": "Given{{index}} Family{{index}}",
              "title": "{{(index % 3 == 0 ? "Senior Engineer" : "Engineer")}}",
              "userType": "Employee",
              "active": "true",
              "emails": [
                { "value": "user{{index}}@example.com", "type": "work", "primary": true },
                { "value": "user{{index}}@home.example.org", "type": "home" }
              ],
              "phoneNumbers": [ { "value": "+1 555 0100 {{index}}", "type": "work" } ],
              "roles": "reader;writer",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "employeeNumber": "{{index}}",
                "department": "{{Departments[index % Departments.Length]}}",
                "manager": { "value": "manager-{{index % 10}}" }
              }
            }
            """);
        var user = ScimNormaliser.NormaliseUser(body);
        user["id"] = $"user-{index}";
        user["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = "2024-01-01T00:00:00Z",
            ["lastModified"] = "2024-06-01T00:00:00Z",
        };
        return user;
    }
}
