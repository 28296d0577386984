using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScimFunctions.Activity;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Activity;

public sealed class ActivityServiceCollectionExtensionsTests
{
    [Fact]
    public void Options_are_bound_from_the_Activity_section_and_the_writer_runs_as_a_hosted_service()
    {
        using var provider = Services(new() { ["Activity:RetentionDays"] = "7", ["Activity:FlushInterval"] = "00:00:05" });

        var options = provider.GetRequiredService<ActivityOptions>();
        Assert.Equal(7, options.RetentionDays);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FlushInterval);
        Assert.Equal("ScimActivity", options.TableName);
        Assert.Contains(provider.GetServices<IHostedService>(), service => service is ActivityWriter);
        Assert.Same(provider.GetRequiredService<ActivityWriter>(), provider.GetServices<IHostedService>().OfType<ActivityWriter>().Single());
    }

    [Theory]
    [InlineData("Activity:RetentionDays", "0")]
    [InlineData("Activity:BufferCapacity", "0")]
    [InlineData("Activity:FlushInterval", "00:05:00")]
    [InlineData("Activity:TableName", "no-dashes")]
    public void Invalid_options_fail_at_start(string key, string value)
    {
        using var provider = Services(new() { [key] = value });
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ActivityOptions>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = TestStorage.Configuration(settings);
        var services = new ServiceCollection().AddLogging();
        services.AddScimFunctions(configuration, new TestEnvironment());
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "ScimFunctions.Tests";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
