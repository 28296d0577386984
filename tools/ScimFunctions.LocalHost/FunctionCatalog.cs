using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ScimFunctions.LocalHost;

/// <summary>One [Function] method and the trigger it declares, read from the attributes the Functions host reads.</summary>
public sealed record FunctionDescriptor(string Name, Type FunctionType, MethodInfo Method, FunctionTrigger Trigger);

public abstract record FunctionTrigger(ParameterInfo TriggerParameter);

public sealed record HttpFunctionTrigger(ParameterInfo TriggerParameter, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel)
    : FunctionTrigger(TriggerParameter);

public sealed record QueueFunctionTrigger(ParameterInfo TriggerParameter, string QueueName, string Connection)
    : FunctionTrigger(TriggerParameter);

public sealed record TimerFunctionTrigger(ParameterInfo TriggerParameter, string Schedule, bool RunOnStartup)
    : FunctionTrigger(TriggerParameter);

/// <summary>
/// Discovers functions by reflection, so routes, queues and schedules are declared once, on the functions.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<FunctionDescriptor> Discover(IEnumerable<Type> candidateTypes)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var type in candidateTypes)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null) continue;
                functions.Add(new FunctionDescriptor(function.Name, type, method, ReadTrigger(function.Name, method)));
            }
        }
        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Function name '{duplicate.Key}' is declared more than once.");
        return functions;
    }

    public static IReadOnlyList<FunctionDescriptor> Discover(params Assembly[] assemblies) =>
        Discover(assemblies.SelectMany(assembly => assembly.GetExportedTypes()).Where(type => type.IsClass));

    private static FunctionTrigger ReadTrigger(string functionName, MethodInfo method)
    {
        FunctionTrigger? trigger = null;
        foreach (var parameter in method.GetParameters())
        {
            FunctionTrigger? found = parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http
                ? new HttpFunctionTrigger(parameter, http.Route ?? functionName, (http.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant()).ToArray(), http.AuthLevel)
                : parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue
                    ? new QueueFunctionTrigger(parameter, queue.QueueName, queue.Connection ?? "AzureWebJobsStorage")
                    : parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer
                        ? new TimerFunctionTrigger(parameter, timer.Schedule, timer.RunOnStartup)
                        : null;
            if (found is null) continue;
            if (trigger is not null) throw new InvalidOperationException($"Function '{functionName}' declares more than one trigger.");
            trigger = found;
        }
        return trigger ?? throw new InvalidOperationException($"Function '{functionName}' declares no trigger this host supports (HTTP, queue, timer).");
    }
}
