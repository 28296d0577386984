using System.Globalization;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Runs a function the way the isolated worker does: a new instance per invocation from a fresh DI scope
/// (ActivatorUtilities, like the worker's default activator), the trigger value bound to the trigger parameter,
/// route values to same-named parameters, and the CancellationToken.
/// </summary>
public static class FunctionInvoker
{
    /// <param name="services">The invocation's scoped services (an HTTP request's, or a fresh scope).</param>
    public static async Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services, object? triggerValue, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.FunctionType);
        try
        {
            var arguments = function.Method.GetParameters()
                .Select(parameter => BindParameter(function, parameter, triggerValue, bindingData, cancellationToken))
                .ToArray();
            object? result;
            try
            {
                result = function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
                throw;
            }
            return await UnwrapAsync(result);
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    private static object? BindParameter(FunctionDescriptor function, ParameterInfo parameter, object? triggerValue, IReadOnlyDictionary<string, object?> bindingData, CancellationToken cancellationToken)
    {
        if (parameter.Position == function.Trigger.TriggerParameter.Position) return triggerValue;
        if (parameter.ParameterType == typeof(CancellationToken)) return cancellationToken;
        if (parameter.ParameterType == typeof(FunctionContext))
        {
            throw new NotSupportedException($"Function '{function.Name}' takes a FunctionContext; keep functions free of it so they run in every host.");
        }
        if (parameter.Name is not null && bindingData.TryGetValue(parameter.Name, out var value) && value is not null)
        {
            return ConvertBindingValue(value, parameter.ParameterType);
        }
        return parameter.HasDefaultValue ? parameter.DefaultValue : null;
    }

    private static object? ConvertBindingValue(object value, Type target)
    {
        if (target.IsInstanceOfType(value)) return value;
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (underlying == typeof(string)) return text;
        if (underlying == typeof(Guid)) return Guid.Parse(text!);
        return Convert.ChangeType(text, underlying, CultureInfo.InvariantCulture);
    }

    private static async Task<object?> UnwrapAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task;
                var taskType = task.GetType();
                return taskType.IsGenericType && taskType.GetProperty("Result") is { } property && property.PropertyType.Name != "VoidTaskResult"
                    ? property.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                if (result?.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    var asTask = (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!;
                    return await UnwrapAsync(asTask);
                }
                return result;
        }
    }
}
