using System.Reflection;
using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains;
using HikiConsult.Grains.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;

namespace HikiConsult.Grains.Tests;

/// <summary>
/// A type that crosses a grain call without a codec fails only at run time (CodecNotFoundException): these tests
/// find every type in every grain and observer interface, check that Orleans has a codec for each, and round-trip
/// the contract types through the serializer.
/// </summary>
public sealed class SerializationTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSerializer(builder => builder.AddHikiConsultSerialization())
        .BuildServiceProvider();

    public static IEnumerable<Type> GrainInterfaces() =>
        typeof(IConsultationSessionGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.IsPublic && (typeof(IGrain).IsAssignableFrom(t) || typeof(IGrainObserver).IsAssignableFrom(t)));

    public static TheoryData<string> CrossingTypeNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in CrossingTypes())
        {
            data.Add(type.AssemblyQualifiedName!);
        }

        return data;
    }

    [Fact]
    public void Every_grain_and_observer_interface_is_found() =>
        Assert.True(GrainInterfaces().Count() >= 7, string.Join(", ", GrainInterfaces().Select(t => t.Name)));

    [Theory]
    [MemberData(nameof(CrossingTypeNames))]
    public void Every_type_that_crosses_a_grain_call_has_a_codec_and_a_copier(string typeName)
    {
        var type = Type.GetType(typeName, throwOnError: true)!;
        var codecs = Services.GetRequiredService<ICodecProvider>();
        Assert.True(codecs.TryGetCodec(type) is not null, $"{type.FullName} has no codec");
        Assert.True(codecs.TryGetDeepCopier(type) is not null, $"{type.FullName} has no copier");
    }

    [Fact]
    public void Session_events_round_trip_with_their_json_body()
    {
        using var body = JsonDocument.Parse("""{"text":"こんにちは","lines":["a","b"],"n":1}""");
        var original = new SessionEventDto("ses_1", 7, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), new SenderDto("usr_1", Roles.Counselor, "Demo"), EventKinds.Text, body.RootElement.Clone());
        var copy = RoundTrip(original);
        Assert.Equal(original.SessionId, copy.SessionId);
        Assert.Equal(original.Seq, copy.Seq);
        Assert.Equal(original.At, copy.At);
        Assert.Equal(original.Sender, copy.Sender);
        Assert.Equal(original.Body.GetRawText(), copy.Body.GetRawText());
    }

    [Fact]
    public void Rule_exceptions_keep_their_kind_and_message()
    {
        var copy = RoundTrip(ConsultationRuleException.Conflict("Join the session before sending to it."));
        Assert.Equal(ConsultationRuleKind.Conflict, copy.Kind);
        Assert.Equal("Join the session before sending to it.", copy.Message);
    }

    [Fact]
    public void Rule_exceptions_keep_the_aliases_of_their_former_name()
    {
        // Renamed from SessionRule…: a silo of the previous version must still read them during a rolling upgrade.
        Assert.Equal("hc.SessionRuleException", typeof(ConsultationRuleException).GetCustomAttribute<AliasAttribute>()!.Alias);
        Assert.Equal("hc.SessionRuleKind", typeof(ConsultationRuleKind).GetCustomAttribute<AliasAttribute>()!.Alias);
    }

    [Fact]
    public void Join_results_keep_their_events_in_order()
    {
        using var body = JsonDocument.Parse("""{"text":"hi"}""");
        var sender = new SenderDto("dev_1", Roles.Client, "Client");
        var events = Enumerable.Range(1, 5).Select(i => new SessionEventDto("ses_1", i, DateTimeOffset.UnixEpoch, sender, EventKinds.Text, body.RootElement.Clone())).ToList();
        var copy = RoundTrip(new JoinSessionResult("ses_1", "cli_1", SessionStates.Active, [new ParticipantDto("dev_1", Roles.Client, "Client", true)], events));
        Assert.Equal([1L, 2, 3, 4, 5], copy.Events.Select(e => e.Seq));
        Assert.True(copy.Participants[0].Present);
    }

    private static T RoundTrip<T>(T value)
    {
        var serializer = Services.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value))!;
    }

    /// <summary>Parameter and result types of every grain method, and the types they hold, recursively.</summary>
    private static IEnumerable<Type> CrossingTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>();
        foreach (var method in GrainInterfaces().SelectMany(i => i.GetMethods()))
        {
            pending.Push(method.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                pending.Push(parameter.ParameterType);
            }
        }

        while (pending.TryPop(out var type))
        {
            if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void))
            {
                continue;
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                pending.Push(underlying);
                continue;
            }

            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    pending.Push(argument);
                }

                if (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
                {
                    continue;
                }
            }

            if (!seen.Add(type) || type.Namespace?.StartsWith("HikiConsult", StringComparison.Ordinal) != true)
            {
                continue;
            }

            // The serialized members of the product's own types: properties of records, fields of the rest.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                pending.Push(property.PropertyType);
            }
        }

        return seen.Where(t => !t.IsInterface || t.IsGenericType).OrderBy(t => t.FullName, StringComparer.Ordinal);
    }
}
