using System.Runtime.CompilerServices;

namespace Migration.Actors.Dispatch;

/// <summary>
/// The pending deliveries of one scheduler, popped in (time, origin host, origin sequence) order.
/// A binary heap holds the future; a FIFO holds deliveries for the current instant that arrive in
/// key order (the common case: an actor telling another on its own host), so most messages never
/// touch the heap. Popping takes the smaller head of the two, which keeps the total order exact.
/// </summary>
internal sealed class EventQueue
{
    private const int InitialCapacity = 64;

    private readonly long lengthMax;
    private Envelope[] heap = new Envelope[InitialCapacity];
    private int heapCount;
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
            if (heapCount == 0 || Envelope.Precedes(head, heap[0]))
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
        var index = heapCount++;
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Envelope.Precedes(envelope, heap[parent])) break;
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = envelope;
    }

    private void GrowHeap()
    {
        if (Count >= lengthMax) ThrowFull();
        Array.Resize(ref heap, heap.Length * 2);
    }

    private Envelope PopHeap()
    {
        var top = heap[0];
        var last = heap[--heapCount];
        heap[heapCount] = default;
        if (heapCount > 0) SiftDown(last);
        return top;
    }

    private void SiftDown(in Envelope item)
    {
        var index = 0;
        var half = heapCount >> 1;
        while (index < half)
        {
            var child = (index << 1) + 1;
            var right = child + 1;
            if (right < heapCount && Envelope.Precedes(heap[right], heap[child])) child = right;
            if (!Envelope.Precedes(heap[child], item)) break;
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = item;
    }

    /// <summary>
    /// Checks every cross-field invariant: the heap is ordered (a parent precedes its children,
    /// otherwise events would be delivered out of order) and the FIFO is strictly increasing (its
    /// head is only compared against the heap's head, so it must be sorted on its own).
    /// </summary>
    public void AssertInvariants()
    {
        for (var i = 1; i < heapCount; i++)
        {
            if (Envelope.Precedes(heap[i], heap[(i - 1) >> 1]))
                throw new InvariantViolationException($"event heap out of order at index {i}: {heap[i]}");
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
