"""The tutorial's standalone files: model.py, train.py (完整的模型训练套路) and test.py, runnable anywhere."""
