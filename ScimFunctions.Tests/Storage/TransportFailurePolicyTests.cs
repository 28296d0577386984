using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ScimFunctions.Functions.Http;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

/// <summary>
/// An exception the HTTP stack throws outside its documented failures (as SocketsHttpHandler's HTTP/1.1
/// cancellation race makes a pooled connection do) is retried like a dropped connection and, if it persists,
/// is a 503, never a 500; exceptions from elsewhere are left as they are.
/// </summary>
public sealed class TransportFailurePolicyTests
{
    [Fact]
    public async Task A_call_the_HTTP_stack_throws_on_is_retried_on_a_fresh_attempt_and_succeeds()
    {
        var handler = new ThrowingHandler();
        var table = await NewTableAsync(new HttpClientTransport(new HttpClient(handler)));
        handler.FailNext(1);
        var sent = handler.Sends;

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["value"] = 1 });

        Assert.Equal(sent + 2, handler.Sends);
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("value"));
    }

    [Fact]
    public async Task A_call_the_HTTP_stack_keeps_throwing_on_fails_as_no_response_which_answers_503()
    {
        var handler = new ThrowingHandler();
        var table = await NewTableAsync(new HttpClientTransport(new HttpClient(handler)));
        handler.FailNext(int.MaxValue);
        var sent = handler.Sends;

        // The retry policy gives up with every attempt's failure.
        var failure = await Assert.ThrowsAsync<AggregateException>(() => table.UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(1 + Retries, failure.InnerExceptions.Count);
        Assert.All(failure.InnerExceptions, attempt =>
        {
            Assert.Equal(0, Assert.IsType<RequestFailedException>(attempt).Status);
            Assert.IsType<ArgumentOutOfRangeException>(attempt.InnerException);
        });
        Assert.Equal(sent + 1 + Retries, handler.Sends);
        Assert.True(ErrorMapper.IsTransient(failure));
    }

    [Fact]
    public async Task An_exception_that_did_not_come_through_the_HTTP_stack_is_left_as_it_is()
    {
        var options = Options(new ThrowingTransport());
        var client = StorageClients.CreateTableServiceClient(TestStorage.Configuration(), options).GetTableClient("anytable");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => client.UpsertEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(ThrowingTransport.Message, failure.Message);
    }

    private const int Retries = 2;

    private static TableClientOptions Options(HttpPipelineTransport transport)
    {
        var options = new TableClientOptions { Transport = transport };
        options.Retry.MaxRetries = Retries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        return options;
    }

    private static async Task<TableClient> NewTableAsync(HttpPipelineTransport transport)
    {
        var table = StorageClients.CreateTableServiceClient(TestStorage.Configuration(), Options(transport)).GetTableClient("transport" + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>Sends through a real handler, except that the chosen sends throw as a corrupted pooled
    /// connection does (an <see cref="ArgumentOutOfRangeException"/> out of HttpClient).</summary>
    private sealed class ThrowingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int failuresLeft;
        private int sends;

        public int Sends => Volatile.Read(ref sends);

        public void FailNext(int count) => Volatile.Write(ref failuresLeft, count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref sends);
            if (Interlocked.Decrement(ref failuresLeft) >= 0) throw new ArgumentOutOfRangeException(null, "Specified argument was out of the range of valid values.");
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A transport that is not System.Net.Http and fails with a programming error.</summary>
    private sealed class ThrowingTransport : HttpPipelineTransport
    {
        public const string Message = "not a transport failure";

        public override Request CreateRequest() => new HttpClientTransport().CreateRequest();

        public override void Process(HttpMessage message) => throw new InvalidOperationException(Message);

        public override ValueTask ProcessAsync(HttpMessage message) => throw new InvalidOperationException(Message);
    }
}
