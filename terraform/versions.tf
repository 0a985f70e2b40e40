# Terraform and provider versions.
#
# hashicorp/aws from 5.100 to any 6.x: every resource type, argument and block
# used here is in the 5.100.0 schema (`terraform validate` and `terraform test`
# run against 5.100.0 in tests/terraform; tests/terraform/provider-schema.json is
# that schema, reduced to what this module uses) and in the 6.x documentation
# the module was first written from. Nothing 6-only is used (no per-resource
# `region`). 5.100 is the oldest release checked, not the oldest that might work.
# Terraform 1.5 for the module itself; its tests (terraform/tests) need 1.9
# (mock_provider with override_during).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, { Project = var.name_prefix })
  }
}

# The account the inbound topic policy admits End User Messaging for.
data "aws_caller_identity" "current" {}
