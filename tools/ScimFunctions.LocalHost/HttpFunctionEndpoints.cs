using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Serves every HTTP-triggered function at the URL the Functions host would give it:
/// <c>/{routePrefix}/{route}</c>, with the same verbs and the same key check for Function- and Admin-level
/// functions (<c>x-functions-key</c> header or <c>code</c> query parameter).
/// </summary>
public static class HttpFunctionEndpoints
{
    public static void MapHttpFunctions(this WebApplication app, IEnumerable<FunctionDescriptor> functions, HostJsonSettings hostJson, string? functionKey)
    {
        foreach (var function in functions)
        {
            if (function.Trigger is not HttpFunctionTrigger trigger) continue;
            var pattern = "/" + string.Join('/', new[] { hostJson.RoutePrefix.Trim('/'), trigger.Route.Trim('/') }.Where(part => part.Length > 0));
            app.MapMethods(pattern, trigger.Methods, context => HandleAsync(context, function, trigger, functionKey))
                .WithDisplayName(function.Name);
        }
    }

    private static async Task HandleAsync(HttpContext context, FunctionDescriptor function, HttpFunctionTrigger trigger, string? functionKey)
    {
        if (trigger.AuthLevel != AuthorizationLevel.Anonymous && !HasValidKey(context.Request, functionKey))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var bindingData = context.Request.RouteValues.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
        object? result;
        try
        {
            result = await FunctionInvoker.InvokeAsync(function, context.RequestServices, context.Request, bindingData, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The Functions host answers an unhandled exception with a bare 500; so does this host.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Function." + function.Name)
                .LogError(exception, "Function {Function} failed", function.Name);
            if (!context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        switch (result)
        {
            case IActionResult actionResult:
                await actionResult.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult httpResult:
                await httpResult.ExecuteAsync(context);
                break;
            case null:
                break;
            default:
                throw new NotSupportedException($"Function '{function.Name}' returned {result.GetType().Name}; return IActionResult or IResult.");
        }
    }

    private static bool HasValidKey(HttpRequest request, string? functionKey)
    {
        if (string.IsNullOrEmpty(functionKey)) return false;
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (presented is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(functionKey));
    }
}
