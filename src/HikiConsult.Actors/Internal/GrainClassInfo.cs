using System.Reflection;
using HikiConsult.Actors.Concurrency;
using HikiConsult.Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace HikiConsult.Actors.Internal;

/// <summary>What the runtime needs to activate one grain class: its type name, scheduling flags and a factory.</summary>
internal sealed class GrainClassInfo
{
    private readonly ConstructorInfo? _constructor;
    private readonly Func<ActivationData, object?>[] _arguments = [];

    private GrainClassInfo(string grainType, Type classType, bool reentrant, TimeSpan collectionAge)
    {
        GrainType = grainType;
        ClassType = classType;
        Reentrant = reentrant;
        CollectionAge = collectionAge;
        OverridesOnActivate = Overrides(classType, nameof(Grain.OnActivateAsync));
        OverridesOnDeactivate = Overrides(classType, nameof(Grain.OnDeactivateAsync));
    }

    private GrainClassInfo(Type classType, string grainType, bool reentrant, TimeSpan collectionAge, ConstructorInfo constructor, Func<ActivationData, object?>[] arguments)
        : this(grainType, classType, reentrant, collectionAge)
    {
        _constructor = constructor;
        _arguments = arguments;
    }

    public string GrainType { get; }
    public Type ClassType { get; }
    public bool Reentrant { get; }

    /// <summary>Whether the class has its own OnActivateAsync (if not, activation skips the call and its timeout).</summary>
    public bool OverridesOnActivate { get; }

    public bool OverridesOnDeactivate { get; }

    private static bool Overrides(Type classType, string method) =>
        typeof(Grain).IsAssignableFrom(classType)
        && classType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == method && m.GetBaseDefinition().DeclaringType == typeof(Grain) && m.DeclaringType != typeof(Grain));

    /// <summary>Idle time before collection; <see cref="Timeout.InfiniteTimeSpan"/> for never.</summary>
    public TimeSpan CollectionAge { get; }

    /// <summary>Observers: no factory, never collected, one call at a time.</summary>
    public static readonly GrainClassInfo Observer = new("observer", typeof(object), reentrant: false, Timeout.InfiniteTimeSpan);

    /// <summary>Stands for a grain interface that no registered class implements; only test probes serve it.</summary>
    public static GrainClassInfo ForProbe(Type grainInterface)
    {
        var name = grainInterface.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name[1..];
        }

        return new GrainClassInfo("probe." + DefaultGrainType(name), grainInterface, reentrant: false, Timeout.InfiniteTimeSpan);
    }

    public static string DefaultGrainType(Type classType) => DefaultGrainType(classType.Name);

    private static string DefaultGrainType(string name)
    {
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }

    public static GrainClassInfo Create(Type classType, Configuration.GrainCollectionOptions collection)
    {
        var grainType = classType.GetCustomAttribute<GrainTypeAttribute>()?.GrainType ?? DefaultGrainType(classType);
        // A [CollectionAgeLimit] that sets no amount (zero) would collect at every sweep: it means the default.
        var limit = classType.GetCustomAttribute<CollectionAgeLimitAttribute>()?.Amount;
        var age = limit is { } amount && amount != TimeSpan.Zero
            ? amount
            : collection.ClassSpecificCollectionAge.TryGetValue(grainType, out var specific) ? specific : collection.CollectionAge;
        var constructor = classType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {classType.Name} has no public constructor.");
        var arguments = constructor.GetParameters().Select(ArgumentFor).ToArray();
        return new GrainClassInfo(classType, grainType, classType.IsDefined(typeof(ReentrantAttribute), true), age, constructor, arguments);
    }

    public object CreateInstance(ActivationData activation)
    {
        if (_constructor is null)
        {
            throw new InvalidOperationException($"No grain class implements {ClassType.Name} and no probe serves {activation.GrainId}.");
        }

        var args = new object?[_arguments.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = _arguments[i](activation);
        }

        try
        {
            return _constructor.Invoke(args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private static Func<ActivationData, object?> ArgumentFor(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } state)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"Parameter {parameter.Name} has [PersistentState] but is not an IPersistentState<T>.");
            }

            var create = typeof(PersistentState).GetMethod(nameof(PersistentState.Create))!.MakeGenericMethod(type.GetGenericArguments()[0]);
            var factory = create.CreateDelegate<Func<ActivationData, PersistentStateAttribute, object>>();
            return activation => factory(activation, state);
        }

        if (type == typeof(IGrainContext))
        {
            return activation => activation;
        }

        if (type == typeof(IGrainFactory))
        {
            return activation => activation.Runtime;
        }

        if (parameter.HasDefaultValue)
        {
            var fallback = parameter.DefaultValue;
            return activation => activation.ActivationServices.GetService(type) ?? fallback;
        }

        return activation => activation.ActivationServices.GetRequiredService(type);
    }
}
