using System.Reflection;
using HikiConsult.Actors.Configuration;
using HikiConsult.Actors.Hosting;
using Microsoft.Extensions.Options;

namespace HikiConsult.Actors.Internal;

/// <summary>Maps grain interfaces to the grain classes registered with the host.</summary>
internal sealed class GrainTypeManager
{
    private readonly Dictionary<Type, GrainClassInfo> _byInterface = new();

    public GrainTypeManager(IOptions<GrainTypeOptions> types, IOptions<GrainCollectionOptions> collection)
    {
        var classes = types.Value.Assemblies
            .SelectMany(a => a.GetTypes())
            .Concat(types.Value.Classes)
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(Grain).IsAssignableFrom(t))
            .Distinct();
        var byType = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var grainClass in classes)
        {
            var info = GrainClassInfo.Create(grainClass, collection.Value);
            if (!byType.TryAdd(info.GrainType, grainClass))
            {
                throw new InvalidOperationException(
                    $"Grain classes {byType[info.GrainType].FullName} and {grainClass.FullName} share the grain type \"{info.GrainType}\"; set [GrainType] on one.");
            }

            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                if (_byInterface.TryGetValue(grainInterface, out var other))
                {
                    throw new InvalidOperationException(
                        $"{grainInterface.Name} is implemented by both {other.ClassType.FullName} and {grainClass.FullName}; one class per grain interface.");
                }

                _byInterface[grainInterface] = info;
            }
        }
    }

    public IEnumerable<GrainClassInfo> Classes => _byInterface.Values.Distinct();

    public GrainClassInfo GetClassFor(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var info)
            ? info
            : throw new ArgumentException($"No grain class implements {grainInterface.Name}. Register its assembly with AddGrainsFromAssemblyOf<T>().");

    private static bool IsGrainInterface(Type type) =>
        typeof(IGrain).IsAssignableFrom(type)
        && type != typeof(IGrain) && type != typeof(IGrainWithStringKey) && type != typeof(IGrainWithGuidKey) && type != typeof(IGrainWithIntegerKey);
}
