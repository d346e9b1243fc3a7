using System.Runtime.CompilerServices;

namespace Migration.Actors.Dispatch;

/// <summary>
/// The pending deliveries of one scheduler, popped in (time, origin host, origin sequence) order.
/// A heap holds the future; a FIFO holds deliveries for the current instant that arrive in key
/// order (the common case: an actor telling another on its own host), so most messages never
/// touch the heap. Popping takes the smaller head of the two, which keeps the total order exact.
/// </summary>
/// <remarks>
/// The heap is 4-ary (half the depth of a binary heap, and a node's children share cache lines, as
/// in .NET's PriorityQueue) and orders keys only: (time, origin key, slot), with no object
/// references, so sifting moves plain data and pays no GC write barrier. The envelopes wait in a
/// slot table and move once in, once out.
/// </remarks>
internal sealed class EventQueue
{
    private const int InitialCapacity = 64;
    private const int Arity = 4;
    private const int ArityLog2 = 2;

    private readonly long lengthMax;
    private HeapKey[] heap = new HeapKey[InitialCapacity];
    private int heapCount;
    private Envelope[] slots = new Envelope[InitialCapacity];
    private int[] freeSlots = new int[InitialCapacity];
    private int freeSlotCount;
    private int slotsUsed;
    private Envelope[] fifo = new Envelope[InitialCapacity];
    private int fifoHead;
    private int fifoCount;

    public EventQueue(long lengthMax)
    {
        this.lengthMax = lengthMax;
    }

    public int Count => heapCount + fifoCount;

    public bool IsEmpty => heapCount + fifoCount == 0;

    /// <summary>The delivery time of the next event; only valid when not empty.</summary>
    public long PeekTimeTicks
    {
        get
        {
            if (fifoCount == 0) return heap[0].TimeTicks;
            if (heapCount == 0) return fifo[fifoHead].TimeTicks;
            return Math.Min(heap[0].TimeTicks, fifo[fifoHead].TimeTicks);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in Envelope envelope, long nowTicks)
    {
        if (envelope.TimeTicks == nowTicks &&
            (fifoCount == 0 || Envelope.Precedes(fifo[(fifoHead + fifoCount - 1) & (fifo.Length - 1)], envelope)))
        {
            PushFifo(envelope);
        }
        else
        {
            PushHeap(envelope);
        }
    }

    /// <summary>Pops the next event if it is due before <paramref name="exclusiveEndTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPopBefore(long exclusiveEndTicks, out Envelope envelope)
    {
        if (fifoCount != 0)
        {
            ref var head = ref fifo[fifoHead];
            if (heapCount == 0 || heap[0].Follows(head))
            {
                if (head.TimeTicks >= exclusiveEndTicks)
                {
                    envelope = default;
                    return false;
                }
                envelope = head;
                head = default;
                fifoHead = (fifoHead + 1) & (fifo.Length - 1);
                fifoCount--;
                return true;
            }
        }
        if (heapCount == 0 || heap[0].TimeTicks >= exclusiveEndTicks)
        {
            envelope = default;
            return false;
        }
        envelope = PopHeap();
        return true;
    }

    private void PushFifo(in Envelope envelope)
    {
        if (fifoCount == fifo.Length) GrowFifo();
        fifo[(fifoHead + fifoCount) & (fifo.Length - 1)] = envelope;
        fifoCount++;
    }

    private void GrowFifo()
    {
        // The limit is checked only when an array must grow: a push into spare capacity is free.
        if (Count >= lengthMax) ThrowFull();
        var larger = new Envelope[fifo.Length * 2];
        for (var i = 0; i < fifoCount; i++) larger[i] = fifo[(fifoHead + i) & (fifo.Length - 1)];
        fifo = larger;
        fifoHead = 0;
    }

    private void PushHeap(in Envelope envelope)
    {
        if (heapCount == heap.Length) GrowHeap();
        var slot = freeSlotCount > 0 ? freeSlots[--freeSlotCount] : slotsUsed++;
        slots[slot] = envelope;
        var key = new HeapKey(envelope.TimeTicks, envelope.OriginKey, slot);
        var index = heapCount++;
        while (index > 0)
        {
            var parent = (index - 1) >> ArityLog2;
            if (!key.Precedes(heap[parent])) break;
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = key;
    }

    private void GrowHeap()
    {
        if (Count >= lengthMax) ThrowFull();
        // Every key holds one slot and every free slot was a key's: the three arrays grow together.
        Array.Resize(ref heap, heap.Length * 2);
        Array.Resize(ref slots, heap.Length);
        Array.Resize(ref freeSlots, heap.Length);
    }

    private Envelope PopHeap()
    {
        var slot = heap[0].Slot;
        var top = slots[slot];
        slots[slot] = default;
        freeSlots[freeSlotCount++] = slot;
        var last = heap[--heapCount];
        if (heapCount > 0) SiftDown(last);
        return top;
    }

    private void SiftDown(HeapKey key)
    {
        var index = 0;
        while (true)
        {
            var first = (index << ArityLog2) + 1;
            if (first >= heapCount) break;
            var least = first;
            var end = Math.Min(first + Arity, heapCount);
            for (var child = first + 1; child < end; child++)
            {
                if (heap[child].Precedes(heap[least])) least = child;
            }
            if (!heap[least].Precedes(key)) break;
            heap[index] = heap[least];
            index = least;
        }
        heap[index] = key;
    }

    /// <summary>A heap entry: the envelope's order key and where the envelope waits.</summary>
    private readonly struct HeapKey(long timeTicks, long originKey, int slot)
    {
        public readonly long TimeTicks = timeTicks;
        public readonly long OriginKey = originKey;
        public readonly int Slot = slot;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Precedes(in HeapKey other) =>
            TimeTicks < other.TimeTicks || (TimeTicks == other.TimeTicks && OriginKey < other.OriginKey);

        /// <summary>True when <paramref name="envelope"/> is delivered strictly before this entry's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Follows(in Envelope envelope) =>
            envelope.TimeTicks < TimeTicks || (envelope.TimeTicks == TimeTicks && envelope.OriginKey < OriginKey);
    }

    /// <summary>
    /// Checks every cross-field invariant: the heap is ordered (a parent precedes its children,
    /// otherwise events would be delivered out of order), every key matches the envelope in its slot
    /// and every slot is either a key's or free, and the FIFO is strictly increasing (its
    /// head is only compared against the heap's head, so it must be sorted on its own).
    /// </summary>
    public void AssertInvariants()
    {
        for (var i = 1; i < heapCount; i++)
        {
            if (heap[i].Precedes(heap[(i - 1) >> ArityLog2]))
                throw new InvariantViolationException($"event heap out of order at index {i}: {slots[heap[i].Slot]}");
        }
        if (heapCount + freeSlotCount != slotsUsed)
            throw new InvariantViolationException($"event heap holds {heapCount} keys and {freeSlotCount} free slots, but {slotsUsed} slots were handed out");
        for (var i = 0; i < heapCount; i++)
        {
            var key = heap[i];
            var envelope = slots[key.Slot];
            if (envelope.TargetRef is null || envelope.TimeTicks != key.TimeTicks || envelope.OriginKey != key.OriginKey)
                throw new InvariantViolationException($"event heap key {i} ({key.TimeTicks}, {key.OriginKey}) does not match its slot {key.Slot}");
        }
        for (var i = 1; i < fifoCount; i++)
        {
            var previous = fifo[(fifoHead + i - 1) & (fifo.Length - 1)];
            var current = fifo[(fifoHead + i) & (fifo.Length - 1)];
            if (!Envelope.Precedes(previous, current))
                throw new InvariantViolationException($"current-instant FIFO out of order at {i}: {current}");
        }
    }

    private void ThrowFull() =>
        throw new InvalidOperationException(
            $"The event queue holds {Count} pending deliveries, its limit ({lengthMax}); the simulation is " +
            "producing events faster than it consumes them. Raise ActorSystemSettings.EventQueueLengthMax " +
            "only if the workload really needs it.");
}
