using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using ScimFunctions.Auth;
using ScimFunctions.Functions.Http;
using ScimFunctions.Roles;
using ScimFunctions.Scim;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Auth;
using ScimHttp = ScimFunctions.Tests.Auth.Http;

namespace ScimFunctions.Tests.Functions.Errors;

public sealed class ErrorMapperTests
{
    public static TheoryData<Exception, int, string?> Refusals => new()
    {
        { ScimException.BadRequest(ScimErrorType.InvalidSyntax, "x"), 400, "invalidSyntax" },
        { ScimException.InvalidValue("x"), 400, "invalidValue" },
        { ScimException.InvalidFilter("x"), 400, "invalidFilter" },
        { ScimException.InvalidPath("x"), 400, "invalidPath" },
        { ScimException.Mutability("x"), 400, "mutability" },
        { ScimException.NoTarget("x"), 400, "noTarget" },
        { ScimException.NotFound("x"), 404, null },
        { ScimException.Conflict("x"), 409, "uniqueness" },
        { ScimException.PreconditionFailed("x"), 412, null },
        { ScimException.PayloadTooLarge("x"), 413, null },
        { ScimException.UnsupportedMediaType("x"), 415, null },
        { new UniquenessConflictException("userName", "a"), 409, "uniqueness" },
        { new ResourceNotFoundException("User", "1"), 404, null },
        { new VersionMismatchException("User", "1"), 412, null },
        { new DocumentTooLargeException(2_000_000), 413, null },
        { new InvalidCursorException(), 400, "invalidCursor" },
        { new InvalidStoreValueException("no userName"), 400, "invalidValue" },
        { new RoleConfigurationException(ScimErrorKind.Conflict, ScimErrorType.Mutability, "in use"), 409, "mutability" },
        { new RoleConfigurationException(ScimErrorKind.InvalidRequest, ScimErrorType.InvalidValue, "unknown"), 400, "invalidValue" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_maps_to_its_status_and_scim_type_with_its_detail(Exception failure, int status, string? scimType)
    {
        var error = ErrorMapper.Map(failure);

        Assert.Equal((status, scimType), (error.Status, error.ScimType));
        Assert.Equal(failure.Message, error.Detail);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void A_body_the_server_refused_to_read_is_413_or_400_without_the_servers_message()
    {
        var tooLarge = ErrorMapper.Map(new BadHttpRequestException("Request body too large. The max request body size is 30000000 bytes.", StatusCodes.Status413PayloadTooLarge));
        var unreadable = ErrorMapper.Map(new BadHttpRequestException("Unexpected end of request content."));

        Assert.Equal((413, null), (tooLarge.Status, tooLarge.ScimType));
        Assert.Contains(ScimFunctions.Provisioning.ScimLimits.MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), tooLarge.Detail);
        Assert.Equal((400, "invalidSyntax"), (unreadable.Status, unreadable.ScimType));
    }

    public static TheoryData<Exception> Outages => new()
    {
        new RequestFailedException(500, "Internal"),
        new RequestFailedException(503, "Busy"),
        new RequestFailedException(502, "Bad gateway"),
        new RequestFailedException(408, "Timeout"),
        new RequestFailedException(429, "Throttled"),
        new RequestFailedException("Connection refused", new HttpRequestException("Connection refused")),
        new TableTransactionFailedException(new RequestFailedException(503, "Busy")),
        new HttpRequestException("dropped"),
        new TaskCanceledException("network timeout"),
        new TimeoutException(),
        new IOException("reset"),
        new TokenStoreUnavailableException("vault down"),
        new AuthenticationFailedException("no identity"),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void Every_outage_is_503(Exception failure)
    {
        var error = ErrorMapper.Map(failure);

        Assert.Equal(503, error.Status);
        Assert.True(error.IsTransient);
        Assert.DoesNotContain(failure.Message, error.Detail);
    }

    public static TheoryData<Exception> Unexpected => new()
    {
        new InvalidOperationException("secret@example.com broke"),
        new NullReferenceException(),
        new RequestFailedException(403, "Forbidden"),
        new InvalidDataException("Row x holds an unreadable role list."),
    };

    [Theory]
    [MemberData(nameof(Unexpected))]
    public void Anything_else_is_a_500_with_a_generic_detail(Exception failure)
    {
        var error = ErrorMapper.Map(failure);

        Assert.Equal((500, null, ErrorMapper.UnexpectedDetail), (error.Status, error.ScimType, error.Detail));
    }

    [Theory]
    [InlineData(ScimAuthFailure.MissingOrMalformedToken, 401)]
    [InlineData(ScimAuthFailure.MalformedDirectoryId, 401)]
    [InlineData(ScimAuthFailure.UnknownOrRevokedToken, 401)]
    [InlineData(ScimAuthFailure.TokenMismatch, 401)]
    [InlineData(ScimAuthFailure.WrongDirectory, 401)]
    [InlineData(ScimAuthFailure.TokenDisabled, 401)]
    [InlineData(ScimAuthFailure.TokenExpired, 401)]
    [InlineData(ScimAuthFailure.DirectoryMissing, 401)]
    [InlineData(ScimAuthFailure.DirectoryDisabled, 403)]
    [InlineData(ScimAuthFailure.TokenStoreUnavailable, 503)]
    public void Authentication_outcomes_map_to_401_403_or_503(ScimAuthFailure failure, int status)
    {
        Assert.Equal(status, ErrorMapper.Map(failure).Status);
    }

    [Fact]
    public async Task Scim_errors_are_scim_json_and_management_errors_the_same_body_as_json()
    {
        var error = ErrorMapper.Map(new UniquenessConflictException("userName", "a"));

        var scim = await ScimHttp.ExecuteAsync(ErrorResponses.For(ErrorSurface.Scim, error, TimeSpan.FromSeconds(10)));
        var management = await ScimHttp.ExecuteAsync(ErrorResponses.For(ErrorSurface.Management, error, TimeSpan.FromSeconds(10)));

        Assert.Equal("application/scim+json; charset=utf-8", scim.ContentType);
        Assert.Equal("application/json; charset=utf-8", management.ContentType);
        foreach (var response in new[] { scim, management })
        {
            Assert.Equal(409, response.Status);
            Assert.Equal(ScimConstants.ErrorSchema, response.Json!["schemas"]![0]!.GetValue<string>());
            Assert.Equal("409", response.Json["status"]!.GetValue<string>());
            Assert.Equal("uniqueness", response.Json["scimType"]!.GetValue<string>());
            Assert.Equal(error.Detail, response.Json["detail"]!.GetValue<string>());
            Assert.False(response.Headers.ContainsKey("Retry-After"));
        }
    }

    [Fact]
    public async Task Outages_carry_retry_after_and_401s_the_bearer_challenge()
    {
        var unavailable = await ScimHttp.ExecuteAsync(ErrorResponses.Scim(ErrorMapper.Map(new HttpRequestException()), TimeSpan.FromSeconds(7.2)));
        var unauthorized = await ScimHttp.ExecuteAsync(ErrorResponses.Scim(ErrorMapper.Map(ScimAuthFailure.UnknownOrRevokedToken), TimeSpan.FromSeconds(7)));

        Assert.Equal("8", unavailable.Headers["Retry-After"]);
        Assert.Equal("503", unavailable.Json!["status"]!.GetValue<string>());
        Assert.Equal("Bearer", unauthorized.Headers["WWW-Authenticate"]);
        Assert.Equal(ErrorMapper.UnauthorizedDetail, unauthorized.Json!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_edge_turns_any_exception_into_an_error_body()
    {
        var edge = new HttpEdge(new ScimAuthOptions(), NullLogger<HttpEdge>.Instance);
        var request = ScimHttp.Request();

        var crashed = await ScimHttp.ExecuteAsync(await edge.RunAsync(request, ErrorSurface.Scim, () => throw new InvalidOperationException("boom")));
        var outage = await ScimHttp.ExecuteAsync(edge.Run(request, ErrorSurface.Management, () => throw new RequestFailedException(0, "refused")));

        Assert.Equal(500, crashed.Status);
        Assert.Equal(ErrorMapper.UnexpectedDetail, crashed.Json!["detail"]!.GetValue<string>());
        Assert.StartsWith("application/scim+json", crashed.ContentType);
        Assert.Equal(503, outage.Status);
        Assert.Equal("10", outage.Headers["Retry-After"]);
        Assert.StartsWith("application/json", outage.ContentType);
        Assert.IsType<JsonObject>(outage.Json);
    }
}
