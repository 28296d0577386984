using NetArchTest.Rules;

namespace ScimFunctions.Tests.Architecture;

/// <summary>
/// The dependency rules of the app's folders, checked on the compiled assembly so the shape cannot drift:
/// the protocol core knows only the base library, the use cases know no Azure SDK, storage knows no HTTP.
/// </summary>
public sealed class LayeringTests
{
    private static Types App => Types.InAssembly(typeof(ServiceCollectionExtensions).Assembly);

    [Fact]
    public void The_protocol_core_references_nothing_outside_the_base_library()
    {
        // Every namespace the app can reach that is not System.*: the app's other folders and everything its
        // referenced assemblies define.
        var app = typeof(ServiceCollectionExtensions).Assembly;
        var reachable = app.GetReferencedAssemblies().Select(System.Reflection.Assembly.Load).Append(app)
            .SelectMany(assembly => SafeTypes(assembly).Select(type => type.Namespace))
            .OfType<string>()
            .Where(ns => ns != "System" && !ns.StartsWith("System.", StringComparison.Ordinal))
            .Where(ns => ns != "ScimFunctions.Scim" && !ns.StartsWith("ScimFunctions.Scim.", StringComparison.Ordinal))
            // Rules match by prefix, so the root namespace (the composition root) would forbid Scim itself.
            .Where(ns => ns != "ScimFunctions")
            .Distinct()
            .ToArray();
        Assert.Contains("Azure.Data.Tables", reachable);
        AssertNone("ScimFunctions.Scim", reachable);
    }

    [Fact]
    public void The_use_cases_reference_no_Azure_SDK_type()
    {
        AssertNone("ScimFunctions.Provisioning", "Azure");
    }

    [Fact]
    public void Storage_references_no_HTTP_type()
    {
        AssertNone("ScimFunctions.Storage", "Microsoft.AspNetCore", "Microsoft.Azure.Functions.Worker", "ScimFunctions.Functions");
    }

    [Fact]
    public void Nothing_below_the_HTTP_edge_references_the_functions()
    {
        foreach (var layer in new[] { "ScimFunctions.Scim", "ScimFunctions.Provisioning", "ScimFunctions.Storage", "ScimFunctions.Roles", "ScimFunctions.Activity" })
        {
            AssertNone(layer, "ScimFunctions.Functions");
        }
    }

    [Fact]
    public void The_rules_see_the_types_they_judge()
    {
        // A rule over an empty or misspelt namespace passes vacuously; this keeps every judged namespace populated.
        foreach (var layer in new[] { "ScimFunctions.Scim", "ScimFunctions.Provisioning", "ScimFunctions.Storage", "ScimFunctions.Roles", "ScimFunctions.Activity" })
        {
            Assert.NotEmpty(App.That().ResideInNamespace(layer).GetTypes());
        }
        var probe = App.That().ResideInNamespace("ScimFunctions.Storage").ShouldNot().HaveDependencyOn("Azure.Data.Tables").GetResult();
        Assert.False(probe.IsSuccessful, "The rule engine should see Storage's Azure.Data.Tables dependency.");
    }

    private static IEnumerable<Type> SafeTypes(System.Reflection.Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }

    private static void AssertNone(string layer, params string[] forbidden)
    {
        var result = App.That().ResideInNamespace(layer).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, $"{layer} references {string.Join(" or ", forbidden)}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
