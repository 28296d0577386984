using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using ScimFunctions.LocalHost;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Contracts;

public sealed class CompositionRootTests
{
    [Fact]
    public void The_composition_root_builds_and_resolves_every_function_class()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development, ApplicationName = "ScimFunctions", ContentRootPath = AppContext.BaseDirectory };
        services.AddScimFunctions(TestStorage.Configuration(), environment);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        var functions = FunctionCatalog.Discover(typeof(ServiceCollectionExtensions).Assembly);
        Assert.NotEmpty(functions);
        foreach (var functionType in functions.Select(f => f.FunctionType).Distinct())
        {
            var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, functionType);
            Assert.IsType(functionType, instance);
        }
    }

    [Fact]
    public void Storage_clients_and_the_credential_are_registered_once_and_shared()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development, ApplicationName = "ScimFunctions", ContentRootPath = AppContext.BaseDirectory };
        services.AddScimFunctions(TestStorage.Configuration(), environment);

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(TableServiceClient));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(QueueServiceClient));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(TokenCredential));
    }

    [Fact]
    public void Every_function_method_binds_only_what_every_host_can_supply()
    {
        // Route values, the trigger, a CancellationToken: the same signature runs in the Functions host and the local host.
        foreach (var function in FunctionCatalog.Discover(typeof(ServiceCollectionExtensions).Assembly))
        {
            foreach (var parameter in function.Method.GetParameters())
            {
                var allowed = parameter.Position == function.Trigger.TriggerParameter.Position
                    || parameter.ParameterType == typeof(CancellationToken)
                    || parameter.ParameterType == typeof(string);
                Assert.True(allowed, $"{function.Name}: parameter '{parameter.Name}' ({parameter.ParameterType.Name}) cannot be bound by every host.");
            }
        }
    }
}
