"""Solutions of 08_optimizers's exercises."""


def train_step(model, loss_fn, optimizer, imgs, targets):
    """One training step: the tutorial's five lines; returns the batch's loss as a float."""
    outputs = model(imgs)             # 1. forward pass
    loss = loss_fn(outputs, targets)  # 2. loss
    optimizer.zero_grad()             # 3. clear the old gradients
    loss.backward()                   # 4. backpropagation
    optimizer.step()                  # 5. update the weights
    return loss.item()


def _no_zero_grad(model, loss_fn, optimizer, imgs, targets):
    loss = loss_fn(model(imgs), targets)
    loss.backward()
    optimizer.step()
    return loss.item()


def _zero_grad_after_backward(model, loss_fn, optimizer, imgs, targets):
    loss = loss_fn(model(imgs), targets)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def _step_before_backward(model, loss_fn, optimizer, imgs, targets):
    loss = loss_fn(model(imgs), targets)
    optimizer.zero_grad()
    optimizer.step()
    loss.backward()
    return loss.item()


def _returns_tensor(model, loss_fn, optimizer, imgs, targets):
    loss = loss_fn(model(imgs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


def _returns_nothing(model, loss_fn, optimizer, imgs, targets):
    loss = loss_fn(model(imgs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


SOLUTIONS = {
    "08.1": lambda: 2 * 2 * (1.0 * 3 - 0) * 3,  # two backward() calls of 2 * (w*x - y) * x = 18: 36
    "08.2": lambda: 2.0 - 0.01 * (2 * (2 * 2 - 8) * 2 + 0.5 * 2.0),  # 2 - 0.01 * (-16 + 1) = 2.15
    "08.3": lambda: train_step,
    "08.4": lambda: (64 * 2.0 + 16 * 1.0) / (64 + 16),  # 1.8
    # each batch's backward() freed its saved tensors: a second pass through them fails
    "08.5": lambda: "a",
}

WRONG = {
    "08.1": [18.0, -36.0, 9.0, 12.0, "36"],
    "08.2": [2.16, 2.17, 2.155, 1.15, 2.0],
    "08.3": [_no_zero_grad, _zero_grad_after_backward, _step_before_backward, _returns_tensor, _returns_nothing, 16.0],
    "08.4": [1.5, 144.0, 3.0, 2.25],
    "08.5": ["b", "c", "d", "yes", 0],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "08.1": [(18.0, "one backward()", "一次 backward()"), (-36.0, "sign", "符号"), (9.0, "2 * (w*x - y) * x", "2 * (w*x - y) * x"),
             (12.0, "chain rule", "链式法则")],
    "08.2": [(2.16, "plain SGD", "普通 SGD"), (2.17, "towards 0", "往 0 拉"), (2.155, "(weight_decay / 2)", "(weight_decay / 2)"),
             (1.15, "multiplied by lr", "乘以学习率")],
    "08.3": [(_no_zero_grad, "zero_grad()", "zero_grad()"), (_zero_grad_after_backward, "has not moved", "没有变"),
             (_step_before_backward, "has not moved", "没有变"), (_returns_tensor, "loss.item()", "loss.item()"),
             (_returns_nothing, "NoneType", "NoneType")],
    "08.4": [(1.5, "mean of the two batch means", "两个批次平均值的平均"), (144.0, "sum over all images", "总和"),
             (3.0, "running_loss", "running_loss"), (2.25, "80", "80")],
    "08.5": [("b", "freed them", "释放了"), ("c", "grad_fn", "grad_fn"), ("d", "0 MiB", "0 MiB")],
}
#: Right answers as learners type them.
ACCEPTED = {"08.1": [36, 36.0], "08.2": [2.15, 2.150], "08.4": [1.8, 1.80, 144 / 80], "08.5": ["a.", "(a)"]}
