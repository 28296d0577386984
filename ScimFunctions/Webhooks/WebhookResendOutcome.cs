namespace ScimFunctions.Webhooks;

/// <summary>How a resend of one event ended.</summary>
public enum WebhookResendOutcome
{
    /// <summary>Posted once more (the attempt says how the receiver answered).</summary>
    Sent,

    NoSuchEndpoint,

    /// <summary>The endpoint is disabled: it is sent nothing.</summary>
    EndpointDisabled,

    /// <summary>No attempt of this event is in the endpoint's delivery log.</summary>
    NoSuchEvent,

    /// <summary>The event's change row is gone (past the change log's retention).</summary>
    EventExpired,
}
