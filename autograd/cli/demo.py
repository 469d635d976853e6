"""`python -m autograd demo`: the whole story in one run.

1. Train the source notes' XOR network (2-3-1, sigmoid, binary cross-entropy, SGD lr 0.1,
   5000 epochs) and show its four outputs.
2. Draw the graph of one sample's loss with its gradients (SVG files).
3. Step through that backward pass one chain-rule step at a time, and check that the
   steps leave exactly the gradients `backward()` gives.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ..engine import Value, topological_order
from ..modes import no_grad
from ..nn import losses, train
from ..viz.stepper import Stepper

Say = Callable[[str], None]


def _sample_loss(model: Callable[[list[Value]], object], x: list[float], y: int) -> Value:
    inputs = [Value(x[0], label="x1"), Value(x[1], label="x2")]
    output = model(inputs)
    assert isinstance(output, Value)
    loss = losses.binary_cross_entropy([output], [y])
    loss.label = "loss"
    return loss


def _draw(loss: Value, directory: str, say: Say) -> bool:
    """Write the drawings; False (with the reason said) when Graphviz is missing."""
    try:
        from .. import viz
    except ImportError:
        say("   (the drawing needs the graphviz package: pip install 'glassgrad[viz]')")
        return False
    os.makedirs(directory, exist_ok=True)
    pictures = {
        "xor_graph.svg": viz.draw(loss),
        "xor_neurons.svg": viz.draw(loss, collapse="neuron"),
    }
    try:
        for name, picture in pictures.items():
            say(f"   wrote {picture.save(os.path.join(directory, name))}")
    except viz.GraphvizNotFound as error:
        source = os.path.join(directory, "xor_graph.dot")
        pictures["xor_graph.svg"].save(source)
        say(f"   {error}\n   The DOT source is in {source}.")
        return False
    return True


def run(directory: str = "demo-output", seed: int = 0, say: Say = print) -> int:
    """The demo; returns the exit code (1 if the drawings could not be made)."""
    session = train.prepare("xor", seed=seed)
    say(f"1. Train XOR as in the source notes: {session.describe()}")
    session.fit(on_epoch=train.progress_printer(session.epochs, 500))
    with no_grad():
        for point, label in zip(session.X, session.y):
            output = session.model(list(point))
            assert isinstance(output, Value)
            say(f"   {point} -> {output.data:.3f} (target {label})")

    x, y = [1.0, 0.0], 1
    session.model.zero_grad()
    loss = _sample_loss(session.model, x, y)
    loss.backward()
    expected = [n.grad for n in topological_order([loss])]
    say(f"\n2. The graph of one sample's loss, x = {x}, target {y}, loss {loss.data:.4f}:")
    drawn = _draw(loss, directory, say)

    say("\n3. The same backward pass, one chain-rule step at a time:")
    loss.zero_grad()  # leaves accumulate: start the stepper from zero, as backward() did
    stepper = Stepper(loss)
    for step in stepper:
        say(str(step))
    identical = [n.grad for n in topological_order([loss])] == expected
    say(
        f"\n   {len(stepper)} steps leave exactly the gradients of backward(): "
        f"{'yes' if identical else 'NO'}"
    )
    return 0 if drawn and identical else 1
