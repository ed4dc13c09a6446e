"""Standalone scripts: the complete training routine (完整的模型训练套路) and the model-checking routine
(完整的模型验证套路), runnable outside the notebooks: ``model.py``, ``train.py``, ``test.py``."""
