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

    [Theory]
    [InlineData("Roles:SweepAge", "-00:01:00", typeof(ScimFunctions.Roles.RoleOptions))]
    [InlineData("Roles:FanOutPageSize", "5000", typeof(ScimFunctions.Roles.RoleOptions))]
    [InlineData("ChangeFeed:Retention", "00:00:10", typeof(ScimFunctions.ChangeFeed.ChangeFeedOptions))]
    [InlineData("Storage:TableName", "no-dashes-allowed", typeof(ScimFunctions.Storage.ScimStorageOptions))]
    [InlineData("Storage:MaxParallelReads", "0", typeof(ScimFunctions.Storage.ScimStorageOptions))]
    public void Options_are_bound_from_configuration_and_refused_when_invalid(string key, string value, Type optionsType)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development, ApplicationName = "ScimFunctions", ContentRootPath = AppContext.BaseDirectory };
        services.AddScimFunctions(TestStorage.Configuration(new Dictionary<string, string?> { [key] = value }), environment);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService(optionsType));
        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public void Valid_options_from_configuration_reach_the_services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development, ApplicationName = "ScimFunctions", ContentRootPath = AppContext.BaseDirectory };
        services.AddScimFunctions(TestStorage.Configuration(new Dictionary<string, string?>
        {
            ["Roles:SweepAge"] = "00:07:00",
            ["ChangeFeed:SettleWindow"] = "00:00:30",
            ["Storage:MaxConcurrencyRetries"] = "3",
        }), environment);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(7), provider.GetRequiredService<ScimFunctions.Roles.RoleOptions>().SweepAge);
        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<ScimFunctions.ChangeFeed.ChangeFeedOptions>().SettleWindow);
        Assert.Equal(3, provider.GetRequiredService<ScimFunctions.Storage.ScimStorageOptions>().MaxConcurrencyRetries);
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
