using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.Infra;

/// <summary>A resource of a compiled ARM template, with the module (nested deployment) that declares it.</summary>
internal sealed record ArmResource(string Module, string Type, string Name, JsonObject Json)
{
    public JsonObject Properties => Json["properties"]?.AsObject() ?? new JsonObject();
}

/// <summary>Walks the ARM JSON that `bicep build` emits, including the templates of nested modules.</summary>
internal static class ArmTemplate
{
    public const string RootModule = "main";

    public static IReadOnlyList<ArmResource> Resources(JsonObject template)
    {
        var found = new List<ArmResource>();
        Collect(template, RootModule, found);
        return found;
    }

    public static IEnumerable<ArmResource> OfType(JsonObject template, string type) =>
        Resources(template).Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The template of the module deployed under <paramref name="moduleName"/>.</summary>
    public static JsonObject ModuleTemplate(JsonObject template, string moduleName) =>
        OfType(template, "Microsoft.Resources/deployments")
            .Single(deployment => deployment.Name == moduleName)
            .Properties["template"]!.AsObject();

    private static void Collect(JsonObject template, string module, List<ArmResource> found)
    {
        foreach (var resource in ResourceObjects(template))
        {
            var type = (string?)resource["type"] ?? "";
            var name = (string?)resource["name"] ?? "";
            found.Add(new ArmResource(module, type, name, resource));
            if (type == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                Collect(nested, name, found);
            }
        }
    }

    // Templates in language version 2.0 key resources by symbolic name instead of listing them.
    private static IEnumerable<JsonObject> ResourceObjects(JsonObject template) => template["resources"] switch
    {
        JsonArray list => list.OfType<JsonObject>(),
        JsonObject bySymbol => bySymbol.Select(entry => entry.Value).OfType<JsonObject>(),
        _ => [],
    };
}
