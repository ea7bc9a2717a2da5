"""govreport-kg: knowledge graphs from Chinese government work reports (政府工作报告).

Library first, thin CLI. The pipeline, readable top to bottom, is ``kg.build``.
"""
__version__ = "0.1.0"
