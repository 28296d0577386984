using Cronos;
using Microsoft.Azure.Functions.Worker;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Runs timer-triggered functions on their schedule: a six-field NCRONTAB expression (with seconds, as the
/// Functions host reads it), a five-field one, or a TimeSpan interval; <c>RunOnStartup</c> honoured.
/// </summary>
public sealed class TimerTriggerScheduler(
    IEnumerable<FunctionDescriptor> functions,
    IConfiguration configuration,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<TimerTriggerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Where(f => f.Trigger is TimerFunctionTrigger).Select(f => RunScheduleAsync(f, stoppingToken)));

    public static Func<DateTimeOffset, DateTimeOffset> ParseSchedule(string schedule)
    {
        if (TimeSpan.TryParse(schedule, System.Globalization.CultureInfo.InvariantCulture, out var interval) && !schedule.Contains(' '))
        {
            return last => last + interval;
        }
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var expression = CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        return last => expression.GetNextOccurrence(last, TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;
    }

    private async Task RunScheduleAsync(FunctionDescriptor function, CancellationToken stoppingToken)
    {
        var trigger = (TimerFunctionTrigger)function.Trigger;
        var schedule = trigger.Schedule.StartsWith('%') ? configuration[trigger.Schedule.Trim('%')]! : trigger.Schedule;
        var next = ParseSchedule(schedule);
        var last = time.GetUtcNow();
        if (trigger.RunOnStartup) await InvokeAsync(function, last, next(last), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = next(last);
            var wait = due - time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await InvokeAsync(function, due, next(due), stoppingToken);
            last = due;
        }
    }

    private async Task InvokeAsync(FunctionDescriptor function, DateTimeOffset occurrence, DateTimeOffset nextOccurrence, CancellationToken stoppingToken)
    {
        var timerInfo = new TimerInfo
        {
            IsPastDue = time.GetUtcNow() - occurrence > TimeSpan.FromSeconds(5),
            ScheduleStatus = new ScheduleStatus { Last = occurrence.UtcDateTime, Next = nextOccurrence.UtcDateTime, LastUpdated = time.GetUtcNow().UtcDateTime },
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, timerInfo, new Dictionary<string, object?>(), stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // As in the Functions host, a failed run waits for the next occurrence.
            logger.LogError(exception, "Timer function {Function} failed", function.Name);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
